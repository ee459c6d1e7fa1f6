#pragma once

#include "protocol.h"

#include <QStringList>
#include <QUrl>

#include <optional>

// What the command line asked for. No subcommand at all is the window's path (the
// GUI issue); until then main() prints the help for it.
struct CliOptions {
    enum class Command { None, Upload, Status, Resume, Share };

    Command command = Command::None;
    QStringList paths;
    QUrl server;
    hoist::Protocol protocol = hoist::Protocol::Native;
    QString token;
    QString caFile;
    int parallel = 0;           // 0: the settings' default
    qint64 bandwidthLimit = -1; // -1: the settings' default
    bool json = false;
    QString fileId;                  // share
    std::optional<qint64> expiresIn; // share --expires, in seconds; none: the server's default

    // Parses the arguments (argv[0] included). On a usage error answers nothing and
    // sets `error`; for --help and --version sets `earlyOutput` instead.
    static std::optional<CliOptions> parse(const QStringList& arguments, QString& error,
                                           QString& earlyOutput);
    static QString helpText();
};
