#include "cli_options.h"

#include "hoist_version.h"

#include <QCommandLineParser>

namespace {

const char* const kUsage = R"(Usage:
  hoist upload FILE|DIR... --server URL --token TOKEN [--parallel N] [--json]
  hoist upload FILE|DIR... --protocol tus --server URL [--token TOKEN] [--json]
  hoist status [--json]
  hoist resume [--token TOKEN] [--parallel N] [--json]
  hoist --help | --version

Uploads files to a hoistd server, resumably. Progress goes to stderr, one result
line per file to stdout. Ctrl-C pauses and keeps the queue; `hoist resume`
continues it (the token may also come from the HOIST_TOKEN environment variable).

Options:
  --server URL        the hoistd server, e.g. https://files.example.org; with --protocol tus
                      the tus server's creation URL, e.g. https://tus.example.org/files/
  --protocol NAME     native (hoistd's own, the default) or tus (tus 1.0.0: any tus server;
                      no duplicate check, the token is optional)
  --token TOKEN       bearer token
  --ca-file FILE      extra PEM CA certificate(s) for a self-signed server
  --parallel N        files uploaded at once (default 2)
  --limit BYTES       bandwidth limit in bytes per second across all files (0: none)
  --json              result lines as JSON

Exit status: 0 when every file is done, 1 when some failed, 2 for a usage error,
130 when interrupted (the queue is paused and saved).
)";

std::optional<qint64> parseCount(const QString& text) {
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

QString CliOptions::helpText() {
    return QString::fromUtf8(kUsage);
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
    const QCommandLineOption caFile("ca-file", "ca", "FILE");
    const QCommandLineOption parallel("parallel", "parallel", "N");
    const QCommandLineOption limit("limit", "limit", "BYTES");
    const QCommandLineOption json("json", "json");
    parser.addOptions({help, version, server, protocol, token, caFile, parallel, limit, json});
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
    if (command == QLatin1String("upload"))
        options.command = Command::Upload;
    else if (command == QLatin1String("status"))
        options.command = Command::Status;
    else if (command == QLatin1String("resume"))
        options.command = Command::Resume;
    else if (!command.isEmpty()) {
        error = QStringLiteral("unknown command: %1").arg(command);
        return std::nullopt;
    }
    options.paths = positional;
    options.server = QUrl(parser.value(server));
    options.token = parser.value(token);
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
    if (parser.isSet(protocol)) {
        const auto named = hoist::protocolFromName(parser.value(protocol));
        if (!named) {
            error = QStringLiteral("--protocol wants native or tus");
            return std::nullopt;
        }
        options.protocol = *named;
    }
    if (parser.isSet(limit)) {
        const auto value = parseCount(parser.value(limit));
        if (!value) {
            error = QStringLiteral("--limit wants a number of bytes per second");
            return std::nullopt;
        }
        options.bandwidthLimit = *value;
    }

    if (options.command == Command::Upload) {
        if (options.paths.isEmpty())
            error = QStringLiteral("upload wants at least one FILE or DIR");
        else if (!options.server.isValid() || options.server.scheme().isEmpty() ||
                 options.server.host().isEmpty())
            error = QStringLiteral("upload wants --server URL (http:// or https://)");
        else if (options.token.isEmpty() && options.protocol == hoist::Protocol::Native)
            error = QStringLiteral("upload wants --token TOKEN");
    } else if (!options.paths.isEmpty()) {
        error = QStringLiteral("unexpected argument: %1").arg(options.paths.first());
    }
    if (!error.isEmpty())
        return std::nullopt;
    return options;
}
