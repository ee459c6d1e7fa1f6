#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

#include <cstdio>

namespace hoist {
class UploadJob;
}

// Live progress of the command line on stderr: one line rewritten in place on a
// terminal, plain lines (at most one every few seconds, only when something moved)
// otherwise, so logs stay readable.
class ProgressPrinter final : public QObject {
    Q_OBJECT
  public:
    ProgressPrinter(QList<const hoist::UploadJob*> jobs, std::FILE* stream,
                    QObject* parent = nullptr);

    // Removes the live line so that other output starts on a clean line.
    void clearLine();
    void stop();

  private:
    void print();
    QString summary() const;

    QList<const hoist::UploadJob*> m_jobs;
    std::FILE* m_stream;
    bool m_terminal;
    bool m_lineShown = false;
    QString m_last;
    QTimer m_timer;
};
