// The composition root of `hoist`: builds the engine from the command line. With
// no subcommand it opens the window instead (gui_main.cpp).

#include "cli_options.h"
#include "cli_run.h"
#include "gui_main.h"

#include "http_client_pool.h"
#include "queue_store.h"
#include "share_links.h"
#include "upload_engine.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcessEnvironment>

#include <QCoroTask>

#include <cstdio>

namespace {

enum { kUsageError = 2 };

void configureApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("hoist"));
    QCoreApplication::setApplicationName(QStringLiteral("hoist"));
}

hoist::Settings settingsFrom(const CliOptions& options) {
    hoist::Settings settings;
    settings.serverUrl = options.server;
    settings.token = options.token;
    settings.caFile = options.caFile;
    if (options.parallel > 0)
        settings.maxConcurrent = options.parallel;
    if (options.bandwidthLimit >= 0)
        settings.bandwidthLimit = options.bandwidthLimit;
    return settings;
}

int printStatus(bool json) {
    const hoist::QueueStore store(hoist::QueueStore::defaultDirectory());
    for (const hoist::JobRecord& record : store.load()) {
        QByteArray line;
        if (json) {
            line = QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact);
        } else {
            const QString detail = record.error.isEmpty() ? record.fileId : record.error;
            line = QStringList{hoist::jobStateName(record.state),
                               QStringLiteral("%1/%2").arg(record.confirmedBytes).arg(record.size),
                               record.path, detail}
                       .join(QLatin1Char('\t'))
                       .toLocal8Bit();
        }
        std::printf("%s\n", line.constData());
    }
    return 0;
}

int runEngine(const CliOptions& options) {
    hoist::UploadEngine engine(settingsFrom(options), hoist::QueueStore::defaultDirectory());
    QString problem;
    if (!engine.isConfigured(&problem)) {
        std::fprintf(stderr, "hoist: %s\n", qPrintable(problem));
        return kUsageError;
    }
    hoist::UploadQueue& queue = engine.queue();
    queue.restore();
    const int restored = queue.count();
    QList<hoist::UploadJob*> jobs;
    QStringList rejected;
    if (options.command == CliOptions::Command::Upload) {
        // Jobs left over from an interrupted run wait for `hoist resume` (they may
        // belong to another server and token); this run uploads only what it names.
        for (int row = 0; row < restored; ++row)
            queue.pause(row);
        rejected = queue.addPaths(options.paths, options.server, options.protocol);
        for (int row = restored; row < queue.count(); ++row)
            jobs << queue.job(row);
    } else {
        for (int row = 0; row < restored; ++row) {
            hoist::UploadJob* job = queue.job(row);
            if (hoist::isDone(job->state()))
                continue;
            job->resume();
            job->retry();
            jobs << job;
        }
        if (jobs.isEmpty())
            std::fputs("hoist: nothing to resume\n", stderr);
    }
    CliRun run(engine, jobs, rejected, options.json);
    return run.exec();
}

// `hoist share`: one link, printed on stdout; 1 when the server refused or was not reached.
int runShare(const CliOptions& options) {
    QNetworkAccessManager network;
    hoist::HttpClientPool clients(network, nullptr, settingsFrom(options));
    QString problem;
    if (!clients.isConfigured(&problem)) {
        std::fprintf(stderr, "hoist: %s\n", qPrintable(problem));
        return kUsageError;
    }
    const auto link = QCoro::waitFor(
        hoist::ShareLinks::create(clients, options.server, options.fileId, options.expiresIn));
    if (!link) {
        std::fprintf(stderr, "hoist: %s\n", qPrintable(link.error().describe()));
        return 1;
    }
    const QString expires = link->expiresAt.toUTC().toString(Qt::ISODate);
    if (options.json)
        std::printf("%s\n", QJsonDocument(QJsonObject{{"linkId", link->linkId},
                                                      {"url", link->url.toString()},
                                                      {"expiresAt", expires}})
                                .toJson(QJsonDocument::Compact)
                                .constData());
    else
        std::printf("%s\n", qPrintable(link->url.toString()));
    std::fprintf(stderr, "hoist: the link works until %s\n", qPrintable(expires));
    return 0;
}

// A subcommand that talks to the server needs a token: --token, or HOIST_TOKEN.
bool takeToken(CliOptions& options, const char* command) {
    if (options.token.isEmpty())
        options.token = QProcessEnvironment::systemEnvironment().value("HOIST_TOKEN");
    if (!options.token.isEmpty())
        return true;
    std::fprintf(stderr, "hoist: %s wants --token TOKEN (or HOIST_TOKEN)\n", command);
    return false;
}

} // namespace

int main(int argc, char* argv[]) {
    if (wantsGui(argc, argv))
        return runGui(argc, argv);
    QCoreApplication app(argc, argv);
    configureApplication();

    QString error;
    QString earlyOutput;
    auto options = CliOptions::parse(QCoreApplication::arguments(), error, earlyOutput);
    if (!options) {
        if (!earlyOutput.isEmpty()) {
            std::fputs(qPrintable(earlyOutput), stdout);
            return 0;
        }
        std::fprintf(stderr, "hoist: %s\n\n%s", qPrintable(error),
                     qPrintable(CliOptions::helpText()));
        return kUsageError;
    }

    switch (options->command) {
    case CliOptions::Command::None:
        std::fputs(qPrintable(CliOptions::helpText()), stdout);
        return 0;
    case CliOptions::Command::Status:
        return printStatus(options->json);
    case CliOptions::Command::Resume:
        if (!takeToken(*options, "resume"))
            return kUsageError;
        return runEngine(*options);
    case CliOptions::Command::Share:
        if (!takeToken(*options, "share"))
            return kUsageError;
        return runShare(*options);
    case CliOptions::Command::Upload:
        return runEngine(*options);
    }
    return kUsageError;
}
