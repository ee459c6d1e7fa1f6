// h('button', {class: 'x', onClick: fn, 'aria-label': 'y'}, 'text', child): a DOM element.
// Attributes are set one by one and never as markup, so text from the server or a file
// name can never become HTML.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  region.textContent = text;
}
