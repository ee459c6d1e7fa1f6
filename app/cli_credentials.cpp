#include "cli_credentials.h"

#include "configuration.h"
#include "server_probe.h"
#include "token_store.h"

#include <QCoroTask>
#include <QFile>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace {

enum { kFailed = 1, kUsageError = 2 };

QString firstLine(QString text) {
    return text.section(QLatin1Char('\n'), 0, 0).trimmed();
}

std::optional<QString> readTokenFile(const QString& path, QString& error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read the token file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return firstLine(QString::fromUtf8(file.readAll()));
}

// On a terminal the token is typed without echo, as passwords are.
QString readTokenFromStdin() {
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::fputs("Token: ", stderr);
        std::fflush(stderr);
        tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    QTextStream in(stdin);
    const QString line = in.readLine().trimmed();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputc('\n', stderr);
    }
    return line;
}

struct Stored {
    QSettings store;
    hoist::TokenStore tokens{store, QStringLiteral("hoist")};
    hoist::Configuration configuration{store, tokens, [](const QString&) { return false; }};
};

} // namespace

std::optional<hoist::Settings> resolveCredentials(const CliOptions& options, QString& error) {
    Stored stored;
    hoist::Settings settings;
    settings.serverUrl =
        options.server.isEmpty() ? stored.configuration.settings().serverUrl : options.server;
    settings.caFile =
        options.caFile.isEmpty() ? stored.configuration.settings().caFile : options.caFile;
    // `resume` continues jobs that each remember their server.
    if (settings.serverUrl.isEmpty() && options.command != CliOptions::Command::Resume) {
        error = QStringLiteral("no server: give --server URL, or run `hoist login` first");
        return std::nullopt;
    }
    if (!options.tokenFile.isEmpty()) {
        const auto token = readTokenFile(options.tokenFile, error);
        if (!token)
            return std::nullopt;
        settings.token = *token;
    }
    if (settings.token.isEmpty())
        settings.token = QProcessEnvironment::systemEnvironment().value("HOIST_TOKEN");
    if (settings.token.isEmpty())
        settings.token = options.token;
    // The stored token belongs to the stored server only.
    if (settings.token.isEmpty() && settings.serverUrl == stored.configuration.settings().serverUrl)
        settings.token = QCoro::waitFor(stored.configuration.loadToken()).token;
    // A tus server may be open to all (docs/protocol.md, "hoist as a tus client").
    if (settings.token.isEmpty() && options.protocol != hoist::Protocol::Tus) {
        error = QStringLiteral("no token: run `hoist login --server URL`, or give --token-file "
                               "FILE or HOIST_TOKEN");
        return std::nullopt;
    }
    return settings;
}

int runLogin(const CliOptions& options) {
    QString error;
    QString token;
    if (!options.tokenFile.isEmpty()) {
        const auto read = readTokenFile(options.tokenFile, error);
        if (!read) {
            std::fprintf(stderr, "hoist: %s\n", qPrintable(error));
            return kUsageError;
        }
        token = *read;
    } else {
        token = readTokenFromStdin();
    }
    if (token.isEmpty()) {
        std::fputs("hoist: no token given\n", stderr);
        return kUsageError;
    }
    const auto report =
        QCoro::waitFor(hoist::ServerProbe::check(options.server, token, options.caFile));
    if (!report.ok()) {
        const QString why = report.detail.isEmpty() ? report.error.describe() : report.detail;
        std::fprintf(stderr, "hoist: %s does not accept this token: %s\n",
                     qPrintable(options.server.toDisplayString()), qPrintable(why));
        return kFailed;
    }

    Stored stored;
    hoist::Settings settings = stored.configuration.settings();
    settings.serverUrl = options.server;
    settings.caFile = options.caFile;
    settings.token = token;
    hoist::UiPreferences preferences = stored.configuration.preferences();
    preferences.tokenInSettingsFile = options.tokenInFile;
    const auto outcome =
        QCoro::waitFor(stored.configuration.update(settings, std::move(preferences)));
    if (outcome.place == hoist::TokenStore::Place::SessionOnly) {
        std::fprintf(stderr,
                     "hoist: the token could not be stored: %s\n"
                     "hoist: without a keychain, allow the settings file with --token-in-file\n",
                     qPrintable(outcome.keychainError));
        return kFailed;
    }
    std::fprintf(stderr, "hoist: logged in to %s (token in the %s)\n",
                 qPrintable(options.server.toDisplayString()),
                 outcome.place == hoist::TokenStore::Place::Keychain ? "keychain"
                                                                     : "settings file");
    return 0;
}
