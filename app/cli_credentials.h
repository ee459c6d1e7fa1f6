#pragma once

#include "cli_options.h"

#include "settings.h"

#include <optional>

// The command line's server and token, so that the token never has to be an
// argument (every local user reads arguments in `ps`): --token-file, then
// HOIST_TOKEN, then --token, then what `hoist login` stored (keychain or, when
// allowed, the settings file). The server is --server or the stored one.
// Nothing, with `error` set, when there is no server or no token.
std::optional<hoist::Settings> resolveCredentials(const CliOptions& options, QString& error);

// `hoist login`: reads the token (--token-file, or stdin: a prompt without echo on a
// terminal), checks it against the server and stores server and token where the
// desktop app finds them too. Answers the exit status.
int runLogin(const CliOptions& options);
