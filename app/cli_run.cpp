#include "cli_run.h"

#include "interrupt_watcher.h"
#include "progress_printer.h"
#include "upload_engine.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using hoist::JobState;
using hoist::UploadJob;

namespace {

bool isSettled(JobState state) {
    return hoist::isDone(state) || state == JobState::Failed || state == JobState::Paused;
}

void printLine(const QByteArray& line) {
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QByteArray resultLine(const QString& path, const QString& state, const QString& fileId,
                      const QString& error, qint64 size, bool json, const QString& note = {}) {
    if (json) {
        QJsonObject object{{"path", path}, {"state", state}, {"size", size}};
        if (!fileId.isEmpty())
            object.insert(QStringLiteral("fileId"), fileId);
        if (!error.isEmpty())
            object.insert(QStringLiteral("error"), error);
        if (!note.isEmpty())
            object.insert(QStringLiteral("note"), note);
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    const QString detail = !error.isEmpty() ? error : !fileId.isEmpty() ? fileId : note;
    return QStringList{state, path, detail}.join(QLatin1Char('\t')).toLocal8Bit();
}

} // namespace

CliRun::CliRun(hoist::UploadEngine& engine, QList<UploadJob*> jobs, QStringList rejected, bool json)
    : m_engine(engine), m_jobs(std::move(jobs)), m_rejected(std::move(rejected)), m_json(json) {
    QList<const UploadJob*> watched(m_jobs.cbegin(), m_jobs.cend());
    m_progress = std::make_unique<ProgressPrinter>(watched, stderr);
    connect(&m_engine.queue(), &hoist::UploadQueue::jobStateChanged, this, &CliRun::onStateChanged);
}

CliRun::~CliRun() = default;

int CliRun::exec() {
    InterruptWatcher interrupts;
    connect(&interrupts, &InterruptWatcher::interrupted, this, &CliRun::interrupt);
    for (const QString& path : m_rejected)
        printLine(resultLine(path, QStringLiteral("failed"), {},
                             QStringLiteral("not a readable regular file"), 0, m_json));
    // Jobs already settled (e.g. restored as done) are reported at once.
    for (UploadJob* job : m_jobs)
        onStateChanged(job);
    finishIfSettled();
    const int status = QCoreApplication::exec();
    m_progress->stop();
    QString error;
    if (!m_engine.queue().saveNow(&error))
        std::fprintf(stderr, "hoist: cannot save the queue: %s\n", qPrintable(error));
    return status;
}

void CliRun::onStateChanged(UploadJob* job) {
    if (!m_jobs.contains(job) || m_reported.contains(job) || !isSettled(job->state()))
        return;
    // Paused jobs are reported only when we paused them (interrupt); a paused job
    // is otherwise waiting for a person, which the command line has not.
    if (job->state() == JobState::Paused && !m_interrupted)
        return;
    report(*job);
    finishIfSettled();
}

void CliRun::report(const UploadJob& job) {
    m_reported.insert(&job);
    m_progress->clearLine();
    const auto& record = job.record();
    printLine(resultLine(record.path, hoist::jobStateName(job.state()), record.fileId, record.error,
                         record.size, m_json, record.note));
}

void CliRun::interrupt() {
    if (m_interrupted)
        return;
    m_interrupted = true;
    m_progress->clearLine();
    std::fputs("hoist: interrupted; the queue is paused and saved (continue with `hoist resume`)\n",
               stderr);
    m_engine.queue().pauseAll();
    for (UploadJob* job : m_jobs) {
        if (!m_reported.contains(job))
            report(*job);
    }
    finishIfSettled();
}

void CliRun::finishIfSettled() {
    if (m_finishing || m_reported.size() < m_jobs.size())
        return;
    m_finishing = true;
    int status = m_rejected.isEmpty() ? AllDone : SomeFailed;
    for (const UploadJob* job : m_jobs) {
        if (!hoist::isDone(job->state()))
            status = SomeFailed;
    }
    if (m_interrupted)
        status = Interrupted;
    // exit() before exec() would be lost: queue it.
    QMetaObject::invokeMethod(
        qApp, [status] { QCoreApplication::exit(status); }, Qt::QueuedConnection);
}
