// The composition root of `hoist`: builds the engine from the command line. With
// no subcommand it opens the window instead (gui_main.cpp).

#include "cli_credentials.h"
#include "cli_library.h"
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

#include <QCoroTask>

#include <cstdio>

namespace {

enum { kUsageError = 2 };

void configureApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("hoist"));
    QCoreApplication::setApplicationName(QStringLiteral("hoist"));
}

// The engine's settings: the resolved server and token, the command line's choices.
hoist::Settings settingsFrom(hoist::Settings settings, const CliOptions& options) {
    settings.retry.maxWait = options.maxWait;
    if (options.parallel > 0)
        settings.maxConcurrent = options.parallel;
    if (options.chunks > 0)
        settings.parallelChunks = options.chunks;
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

int runEngine(const CliOptions& options, const hoist::Settings& credentials) {
    hoist::UploadEngine engine(settingsFrom(credentials, options),
                               hoist::QueueStore::defaultDirectory());
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
        rejected = queue.addPaths(options.paths, credentials.serverUrl, options.protocol);
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
int runShare(const CliOptions& options, const hoist::Settings& credentials) {
    QNetworkAccessManager network;
    hoist::HttpClientPool clients(network, nullptr, settingsFrom(credentials, options));
    QString problem;
    if (!clients.isConfigured(&problem)) {
        std::fprintf(stderr, "hoist: %s\n", qPrintable(problem));
        return kUsageError;
    }
    const auto link = QCoro::waitFor(hoist::ShareLinks::create(clients, credentials.serverUrl,
                                                               options.fileId, options.expiresIn));
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
    case CliOptions::Command::Login:
        return runLogin(*options);
    default:
        break;
    }
    const auto credentials = resolveCredentials(*options, error);
    if (!credentials) {
        std::fprintf(stderr, "hoist: %s\n", qPrintable(error));
        return kUsageError;
    }
    CliLibrary library(*credentials, options->json);
    switch (options->command) {
    case CliOptions::Command::List:
        return QCoro::waitFor(library.list());
    case CliOptions::Command::Get:
        return QCoro::waitFor(library.get(options->paths.first(), options->output));
    case CliOptions::Command::Remove:
        return QCoro::waitFor(library.remove(options->paths));
    case CliOptions::Command::Share:
        return runShare(*options, *credentials);
    default:
        return runEngine(*options, *credentials);
    }
}
