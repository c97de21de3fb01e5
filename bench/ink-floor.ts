// The reference for the app's first screen: the least an Ink app does to paint one, bundled
// like the workshop's programs. It takes the alternate screen as the app does, draws one line,
// and stays until it is killed.
import { render, Text } from "ink";
import { createElement } from "react";

process.stdout.write("\u001b[?1049h");
render(createElement(Text, null, "first screen"));
setInterval(() => undefined, 60_000);
