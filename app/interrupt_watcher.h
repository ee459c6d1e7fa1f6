#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM into a Qt signal on the main thread (the self-pipe
// trick: a signal handler may only write to a file descriptor). One per process.
class InterruptWatcher final : public QObject {
    Q_OBJECT
  public:
    explicit InterruptWatcher(QObject* parent = nullptr);
    ~InterruptWatcher() override;

  signals:
    void interrupted();

  private:
    QSocketNotifier* m_notifier = nullptr;
};
