#pragma once

#include <QObject>
#include <QSystemTrayIcon>

#include <memory>

class QAction;
class QMenu;

namespace hoist {

struct QueueTotals;

// The system tray entry: aggregate progress in its tooltip, a menu of the
// window's own actions, and the notifications. Where the desktop has no tray
// (or it is headless), it stays hidden and the window simply quits on close.
class TrayIcon final : public QObject {
    Q_OBJECT
  public:
    // The actions belong to the window; the tray only lists them.
    TrayIcon(const QIcon& icon, QList<QAction*> actions, QObject* parent = nullptr);
    ~TrayIcon() override;

    bool isAvailable() const;
    void setTotals(const QueueTotals& totals);
    void showMessage(const QString& title, const QString& message, bool warning);
    QString toolTip() const;

  signals:
    // A click on the icon itself: show or hide the window.
    void toggleWindowRequested();

  private:
    // The icon goes before the menu it shows.
    std::unique_ptr<QMenu> m_menu;
    QSystemTrayIcon m_icon;
};

} // namespace hoist
