#pragma once

#include "protocol.h"

#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

// What the command line asked for. No subcommand at all is the window's path (the
// GUI issue); until then main() prints the help for it.
struct CliOptions {
    enum class Command { None, Upload, Status, Resume, Login, List, Get, Remove, Share };

    Command command = Command::None;
    QStringList paths;
    QUrl server;
    hoist::Protocol protocol = hoist::Protocol::Native;
    QString token;            // --token: still taken, but visible to every local user in ps
    QString tokenFile;        // --token-file: the first line of FILE
    bool tokenInFile = false; // login: the settings file may hold the token (no keychain)
    QString caFile;
    QString output; // get -o PATH
    // How long a server that went away is waited for before jobs fail (docs/protocol.md
    // leaves the client's patience to it); zero waits forever.
    std::chrono::milliseconds maxWait{std::chrono::minutes(10)};
    int parallel = 0;           // 0: the settings' default
    int chunks = 0;             // --chunks: chunks of one file in flight; 0: the settings'
    qint64 bandwidthLimit = -1; // -1: the settings' default
    bool json = false;
    QString fileId;                  // share
    std::optional<qint64> expiresIn; // share --expires, in seconds; none: the server's default

    // Parses the arguments (argv[0] included). On a usage error answers nothing and
    // sets `error`; for --help and --version sets `earlyOutput` instead.
    static std::optional<CliOptions> parse(const QStringList& arguments, QString& error,
                                           QString& earlyOutput);
    static QString helpText();
    // "90s", "10m", "2h", "1d", or plain seconds; zero means forever.
    static std::optional<std::chrono::milliseconds> parseDuration(const QString& text);
};
