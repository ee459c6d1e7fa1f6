#include "tray_icon.h"

#include "queue_summary.h"

#include <QLocale>
#include <QMenu>

namespace hoist {

TrayIcon::TrayIcon(const QIcon& icon, QList<QAction*> actions, QObject* parent)
    : QObject(parent), m_menu(std::make_unique<QMenu>()), m_icon(icon) {
    for (QAction* action : actions) {
        if (action)
            m_menu->addAction(action);
        else
            m_menu->addSeparator();
    }
    m_icon.setContextMenu(m_menu.get());
    m_icon.setToolTip(tr("Hoist"));
    connect(&m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    emit toggleWindowRequested();
            });
    if (isAvailable())
        m_icon.show();
}

TrayIcon::~TrayIcon() = default;

bool TrayIcon::isAvailable() const {
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::setTotals(const QueueTotals& totals) {
    const QLocale locale;
    QString text = tr("Hoist");
    if (totals.jobs > 0) {
        const int percent = totals.totalBytes > 0
                                ? static_cast<int>(totals.confirmedBytes * 100 / totals.totalBytes)
                                : 100;
        text +=
            QLatin1Char('\n') + tr("%1 of %n file(s) done", nullptr, totals.jobs).arg(totals.done);
        if (totals.running > 0)
            text += tr(", %1 uploading").arg(totals.running);
        if (totals.failed > 0)
            text += tr(", %1 failed").arg(totals.failed);
        text += QLatin1Char('\n') + tr("%1 of %2 (%3 %)")
                                        .arg(locale.formattedDataSize(totals.confirmedBytes),
                                             locale.formattedDataSize(totals.totalBytes))
                                        .arg(percent);
        if (totals.bytesPerSecond > 0)
            text += tr(" at %1/s")
                        .arg(locale.formattedDataSize(static_cast<qint64>(totals.bytesPerSecond)));
    }
    m_icon.setToolTip(text);
}

QString TrayIcon::toolTip() const {
    return m_icon.toolTip();
}

void TrayIcon::showMessage(const QString& title, const QString& message, bool warning) {
    if (!isAvailable() || !QSystemTrayIcon::supportsMessages())
        return;
    m_icon.showMessage(title, message,
                       warning ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
}

} // namespace hoist
