#include "cli_options.h"

#include "hoist_version.h"

#include <QCommandLineParser>
#include <QHash>

#include <limits>

namespace {

const char* const kUsage = R"(Usage:
  hoist upload FILE|DIR... --server URL --token TOKEN [--parallel N] [--json]
  hoist upload FILE|DIR... --protocol tus --server URL [--token TOKEN] [--json]
  hoist status [--json]
  hoist resume [--token TOKEN] [--parallel N] [--json]
  hoist share FILE_ID --server URL --token TOKEN [--expires 7d] [--json]
  hoist --help | --version

Uploads files to a hoistd server, resumably. Progress goes to stderr, one result
line per file to stdout. Ctrl-C pauses and keeps the queue; `hoist resume`
continues it (the token may also come from the HOIST_TOKEN environment variable).
`hoist share` prints a link that lets anyone download the file until it expires.

Options:
  --server URL        the hoistd server, e.g. https://files.example.org; with --protocol tus
                      the tus server's creation URL, e.g. https://tus.example.org/files/
  --protocol NAME     native (hoistd's own, the default) or tus (tus 1.0.0: any tus server;
                      no duplicate check, the token is optional)
  --token TOKEN       bearer token
  --ca-file FILE      extra PEM CA certificate(s) for a self-signed server
  --parallel N        files uploaded at once (default 2)
  --limit BYTES       bandwidth limit in bytes per second across all files (0: none)
  --expires DURATION  how long a share link works: seconds, or a number with s, m,
                      h, d or w (default: the server's, 7 days unless configured)
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

bool isServerUrl(const QUrl& url) {
    return url.isValid() && !url.scheme().isEmpty() && !url.host().isEmpty();
}

// "90", "90s", "15m", "12h", "7d", "2w": seconds.
std::optional<qint64> parseDuration(const QString& text) {
    static const QHash<QChar, qint64> kUnits{{QLatin1Char('s'), 1},
                                             {QLatin1Char('m'), 60},
                                             {QLatin1Char('h'), 3600},
                                             {QLatin1Char('d'), 86400},
                                             {QLatin1Char('w'), 7 * 86400}};
    const qint64 unit = text.isEmpty() ? 0 : kUnits.value(text.back(), 0);
    const auto count = parseCount(unit == 0 ? text : text.chopped(1));
    if (!count || *count == 0 || *count > std::numeric_limits<qint64>::max() / 604800)
        return std::nullopt;
    return *count * (unit == 0 ? 1 : unit);
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
    const QCommandLineOption expires("expires", "expires", "DURATION");
    parser.addOptions(
        {help, version, server, protocol, token, caFile, parallel, limit, json, expires});
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
    else if (command == QLatin1String("share"))
        options.command = Command::Share;
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

    if (parser.isSet(expires)) {
        options.expiresIn = parseDuration(parser.value(expires));
        if (!options.expiresIn || options.command != Command::Share) {
            error =
                QStringLiteral("--expires wants a duration such as 3600, 12h or 7d, with share");
            return std::nullopt;
        }
    }

    if (options.command == Command::Share) {
        if (options.paths.size() != 1)
            error = QStringLiteral("share wants one FILE_ID");
        else if (!isServerUrl(options.server))
            error = QStringLiteral("share wants --server URL (http:// or https://)");
        options.fileId = options.paths.value(0);
        options.paths.clear();
    } else if (options.command == Command::Upload) {
        if (options.paths.isEmpty())
            error = QStringLiteral("upload wants at least one FILE or DIR");
        else if (!isServerUrl(options.server))
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
