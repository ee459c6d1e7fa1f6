#pragma once

#include <QPointer>
#include <QUrl>
#include <QWidget>

class QHBoxLayout;

namespace hoist {

class ServerWatch;

// The status bar's word on each server that has jobs: reachable, or waiting for it
// with the reason its last health check gave. It only shows: the ServerWatch decides.
class ServerIndicators final : public QWidget {
    Q_OBJECT
  public:
    explicit ServerIndicators(QWidget* parent = nullptr);

    // `watch` may be null (the engine is being replaced).
    void setWatch(ServerWatch* watch);
    // What the indicator of `server` says; empty when it has none.
    QString textFor(const QUrl& server) const;

  private:
    void refresh();

    QPointer<ServerWatch> m_watch;
    QHBoxLayout* m_layout;
};

} // namespace hoist
