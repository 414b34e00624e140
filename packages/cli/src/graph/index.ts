export { renderAscii, type AsciiStyle } from './ascii.js';
export { renderDot } from './dot.js';
export { renderSvg } from './svg.js';
export { countOf, inOrder, toJson, type GraphCollection, type GraphItem, type GraphJson, type GraphTreeNode, type GraphView } from './model.js';
