#pragma once

#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <memory>

namespace hoist {
class UploadEngine;
class UploadJob;
} // namespace hoist

class ProgressPrinter;

// Drives a set of the engine's jobs to the end for the command line: prints one
// result line per file on stdout as it settles, live progress on stderr, and on
// an interrupt pauses and saves the queue. exec() answers the exit status.
class CliRun final : public QObject {
    Q_OBJECT
  public:
    enum ExitStatus { AllDone = 0, SomeFailed = 1, Interrupted = 130 };

    // `rejected` are paths that could not even be queued (reported as failures).
    CliRun(hoist::UploadEngine& engine, QList<hoist::UploadJob*> jobs, QStringList rejected,
           bool json);
    ~CliRun() override;

    int exec();

  private:
    void onStateChanged(hoist::UploadJob* job);
    void interrupt();
    void report(const hoist::UploadJob& job);
    void finishIfSettled();

    hoist::UploadEngine& m_engine;
    QList<hoist::UploadJob*> m_jobs;
    QStringList m_rejected;
    bool m_json;
    QSet<const hoist::UploadJob*> m_reported;
    bool m_interrupted = false;
    bool m_finishing = false;
    std::unique_ptr<ProgressPrinter> m_progress;
};
