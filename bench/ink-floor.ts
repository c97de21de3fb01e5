// The reference for the app's first screen and its answer to a key: the least an Ink app does to
// paint one and to redraw on a key, bundled like the workshop's programs. It takes the alternate
// screen as the app does, draws one line counting the keys, and stays until it is killed.
import { render, Text, useInput } from "ink";
import { createElement, useState } from "react";

function Floor() {
  const [keys, setKeys] = useState(0);
  useInput(() => setKeys((n) => n + 1));
  return createElement(Text, null, `first screen · keys: ${keys}`);
}

process.stdout.write("\u001b[?1049h");
render(createElement(Floor));
setInterval(() => undefined, 60_000);
