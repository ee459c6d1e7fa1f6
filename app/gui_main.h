#pragma once

// True when the command line asks for the window: no arguments, or files and
// window options only (no subcommand of the command line, no --help/--version).
bool wantsGui(int argc, char** argv);

// The desktop app's composition root: configuration, first run, engine, window.
// `hoist --screenshot FILE` renders the window offscreen with the current queue
// to a PNG and exits (after --screenshot-delay milliseconds of running, if given).
int runGui(int argc, char** argv);
