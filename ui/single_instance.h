#pragma once

#include <QLocalServer>
#include <QObject>
#include <QStringList>

namespace hoist {

// One window per user: the first `hoist` listens on a local socket of the user's
// (QLocalServer, owner-only); a later `hoist FILE…` hands its files over there and
// exits, and the first adds them and comes to the front. The message is the
// files' absolute paths as a JSON array.
class SingleInstance final : public QObject {
    Q_OBJECT
  public:
    explicit SingleInstance(QString name = defaultName(), QObject* parent = nullptr);

    // Sends `paths` to a running instance; true when one took them.
    bool handOver(const QStringList& paths, int timeoutMs = 3000);
    // Becomes the instance the others hand over to. A socket left behind by a
    // crashed instance (nobody answered handOver()) is replaced.
    bool listen();

    static QString defaultName();

  signals:
    // Another `hoist` handed these over (possibly none: it only asked for the window).
    void filesReceived(const QStringList& paths);

  private:
    void accept();

    QString m_name;
    QLocalServer m_server;
};

} // namespace hoist
