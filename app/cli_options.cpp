#include "cli_options.h"

#include "hoist_version.h"
#include "settings.h"

#include <QCommandLineParser>

#include <limits>

#include <algorithm>

namespace {

const char* const kUsage = R"(Usage:
  hoist login --server URL [--token-file FILE] [--token-in-file]
  hoist upload FILE|DIR... [--server URL] [--protocol tus] [--parallel N] [--chunks N] [--max-wait DURATION] [--json]
  hoist status [--json]
  hoist resume [--parallel N] [--chunks N] [--max-wait DURATION] [--json]
  hoist ls [--json]
  hoist get FILE_ID [-o PATH] [--json]
  hoist rm FILE_ID... [--json]
  hoist share FILE_ID [--server URL] [--expires 7d] [--json]
  hoist --help | --version

Uploads files to a hoistd server, resumably. Progress goes to stderr, one result
line per file to stdout. Ctrl-C pauses and keeps the queue; `hoist resume`
continues it. A server that goes away is waited for (--max-wait, 10 minutes by
default), and the uploads continue when it is back. `ls`, `get` and `rm` list,
download (resumable, verified by SHA-256) and delete the files on the server;
`hoist share` prints a link that lets anyone download a file until it expires.

The token never needs to be on the command line (where every local user sees it
in `ps`): `hoist login` reads it from a prompt or stdin and keeps it in the
keychain (or, with --token-in-file, in the settings file); otherwise it comes
from --token-file FILE or the HOIST_TOKEN environment variable.

Options:
  --server URL        the hoistd server, e.g. https://files.example.org
                      (default: the one of `hoist login`); with --protocol tus
                      the tus server's creation URL, e.g. https://tus.example.org/files/
  --protocol NAME     native (hoistd's own, the default) or tus (tus 1.0.0: any tus server;
                      no duplicate check, the token is optional)
  --token-file FILE   read the bearer token from FILE
  --token TOKEN       bearer token (visible in `ps`: prefer the ways above)
  --token-in-file     login: keep the token in the settings file when there is
                      no keychain
  --ca-file FILE      extra PEM CA certificate(s) for a self-signed server
  --max-wait DURATION how long to wait for a server that went away before
                      giving up: 90s, 10m, 2h; 0 waits forever (default 10m)
  -o, --output PATH   get: where to write the file (default: its name)
  --parallel N        files uploaded at once (default 2)
  --chunks N          chunks of one file in flight at once, 1 to 6, when the server
                      grants it (default 4: faster on distant servers); 1 sends one
                      chunk at a time and does not ask
  --limit BYTES       bandwidth limit in bytes per second across all files (0: none)
  --expires DURATION  how long a share link works: seconds, or a number with s, m,
                      h, d or w (default: the server's, 7 days unless configured)
  --json              result lines as JSON

Exit status: 0 when every file is done, 1 when some failed, 2 for a usage error,
130 when interrupted (the queue is paused and saved).
)";

struct NamedCommand {
    const char* name;
    CliOptions::Command command;
};

constexpr NamedCommand kCommands[] = {
    {"upload", CliOptions::Command::Upload}, {"status", CliOptions::Command::Status},
    {"resume", CliOptions::Command::Resume}, {"login", CliOptions::Command::Login},
    {"ls", CliOptions::Command::List},       {"get", CliOptions::Command::Get},
    {"rm", CliOptions::Command::Remove},     {"share", CliOptions::Command::Share},
};

std::optional<qint64> parseCount(const QString& text) {
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

bool isServerUrl(const QUrl& url) {
    return url.isValid() && !url.scheme().isEmpty() && !url.host().isEmpty();
}

} // namespace

QString CliOptions::helpText() {
    return QString::fromUtf8(kUsage);
}

std::optional<std::chrono::milliseconds> CliOptions::parseDuration(const QString& text) {
    static const QList<QPair<QChar, qint64>> kUnits{{QLatin1Char('s'), 1},
                                                    {QLatin1Char('m'), 60},
                                                    {QLatin1Char('h'), 3600},
                                                    {QLatin1Char('d'), 86400},
                                                    {QLatin1Char('w'), 7 * 86400}};
    QString number = text.trimmed();
    qint64 unit = 1;
    for (const auto& [suffix, seconds] : kUnits) {
        if (number.endsWith(suffix)) {
            number.chop(1);
            unit = seconds;
            break;
        }
    }
    const auto value = parseCount(number);
    if (!value)
        return std::nullopt;
    return std::chrono::seconds(*value * unit);
}

std::optional<CliOptions> CliOptions::parse(const QStringList& arguments, QString& error,
                                            QString& earlyOutput) {
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    const QCommandLineOption help({"h", "help"}, "help");
    const QCommandLineOption version({"v", "version"}, "version");
    const QCommandLineOption server("server", "server", "URL");
    const QCommandLineOption protocol("protocol", "protocol", "NAME");
    const QCommandLineOption token("token", "token", "TOKEN");
    const QCommandLineOption tokenFile("token-file", "token file", "FILE");
    const QCommandLineOption tokenInFile("token-in-file", "token in the settings file");
    const QCommandLineOption maxWait("max-wait", "max wait", "DURATION");
    const QCommandLineOption output({"o", "output"}, "output", "PATH");
    const QCommandLineOption caFile("ca-file", "ca", "FILE");
    const QCommandLineOption parallel("parallel", "parallel", "N");
    const QCommandLineOption chunks("chunks", "chunks", "N");
    const QCommandLineOption limit("limit", "limit", "BYTES");
    const QCommandLineOption json("json", "json");
    const QCommandLineOption expires("expires", "expires", "DURATION");
    parser.addOptions({help, version, server, protocol, token, caFile, parallel, limit, json,
                       tokenFile, tokenInFile, maxWait, output, expires, chunks});
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        earlyOutput = helpText();
        return std::nullopt;
    }
    if (parser.isSet(version)) {
        earlyOutput = QStringLiteral("hoist %1\n").arg(QLatin1String(HOIST_VERSION));
        return std::nullopt;
    }

    CliOptions options;
    QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? QString() : positional.takeFirst();
    const auto named = std::find_if(
        std::begin(kCommands), std::end(kCommands),
        [&command](const NamedCommand& entry) { return command == QLatin1String(entry.name); });
    if (named != std::end(kCommands)) {
        options.command = named->command;
    } else if (!command.isEmpty()) {
        error = QStringLiteral("unknown command: %1").arg(command);
        return std::nullopt;
    }
    options.paths = positional;
    options.server = QUrl(parser.value(server));
    options.token = parser.value(token);
    options.tokenFile = parser.value(tokenFile);
    options.tokenInFile = parser.isSet(tokenInFile);
    options.output = parser.value(output);
    if (parser.isSet(maxWait)) {
        const auto value = parseDuration(parser.value(maxWait));
        if (!value) {
            error = QStringLiteral("--max-wait wants a duration such as 90s, 10m or 2h");
            return std::nullopt;
        }
        options.maxWait = *value;
    }
    options.caFile = parser.value(caFile);
    options.json = parser.isSet(json);
    if (parser.isSet(parallel)) {
        const auto value = parseCount(parser.value(parallel));
        if (!value || *value < 1) {
            error = QStringLiteral("--parallel wants a positive number");
            return std::nullopt;
        }
        options.parallel = static_cast<int>(*value);
    }
    if (parser.isSet(chunks)) {
        const auto value = parseCount(parser.value(chunks));
        if (!value || *value < 1 || *value > hoist::Settings::kMaxParallelChunks) {
            error = QStringLiteral("--chunks wants a number from 1 to %1")
                        .arg(hoist::Settings::kMaxParallelChunks);
            return std::nullopt;
        }
        options.chunks = static_cast<int>(*value);
    }
    if (parser.isSet(protocol)) {
        const auto chosen = hoist::protocolFromName(parser.value(protocol));
        if (!chosen) {
            error = QStringLiteral("--protocol wants native or tus");
            return std::nullopt;
        }
        options.protocol = *chosen;
    }
    if (parser.isSet(limit)) {
        const auto value = parseCount(parser.value(limit));
        if (!value) {
            error = QStringLiteral("--limit wants a number of bytes per second");
            return std::nullopt;
        }
        options.bandwidthLimit = *value;
    }

    if (parser.isSet(expires)) {
        const auto value = parseDuration(parser.value(expires));
        if (!value || value->count() == 0 || options.command != Command::Share) {
            error =
                QStringLiteral("--expires wants a duration such as 3600, 12h or 7d, with share");
            return std::nullopt;
        }
        options.expiresIn = std::chrono::duration_cast<std::chrono::seconds>(*value).count();
    }

    const bool serverGiven = parser.isSet(server);
    if (serverGiven && !isServerUrl(options.server)) {
        error = QStringLiteral("--server wants a URL (http:// or https://)");
    } else if (options.command == Command::Upload) {
        if (options.paths.isEmpty())
            error = QStringLiteral("upload wants at least one FILE or DIR");
    } else if (options.command == Command::Login) {
        if (!serverGiven)
            error = QStringLiteral("login wants --server URL");
    } else if (options.command == Command::Get) {
        if (options.paths.size() != 1)
            error = QStringLiteral("get wants one FILE_ID");
    } else if (options.command == Command::Remove) {
        if (options.paths.isEmpty())
            error = QStringLiteral("rm wants at least one FILE_ID");
    } else if (options.command == Command::Share) {
        if (options.paths.size() != 1)
            error = QStringLiteral("share wants one FILE_ID");
        options.fileId = options.paths.value(0);
        options.paths.clear();
    } else if (!options.paths.isEmpty()) {
        error = QStringLiteral("unexpected argument: %1").arg(options.paths.first());
    }
    if (!error.isEmpty())
        return std::nullopt;
    return options;
}
