#include "queue_actions.h"

#include "engine_host.h"
#include "queue_model.h"
#include "queue_view.h"
#include "share_links.h"
#include "upload_engine.h"
#include "upload_queue.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSortFilterProxyModel>

#include <algorithm>

namespace hoist {

namespace {

// A removal that throws work away: the job is running, or has bytes on the
// server whose session removal deletes.
bool removalLosesWork(JobState state, qint64 confirmedBytes) {
    return isActive(state) || (!isDone(state) && confirmedBytes > 0);
}

} // namespace

QVariant QueueActions::value(int row, int role) const {
    return m_host.model().index(row, 0).data(role);
}

JobState QueueActions::stateOf(int row) const {
    return static_cast<JobState>(value(row, QueueModel::StateRole).toInt());
}

QueueActions::QueueActions(EngineHost& host, QueueView& view, QObject* parent)
    : QObject(parent), m_host(host), m_view(view),
      m_pause(make(tr("&Pause"), QStringLiteral("media-playback-pause"), QStringLiteral("pause"),
                   QKeySequence(tr("Ctrl+P")), &QueueActions::pauseTargets)),
      m_resume(make(tr("&Resume"), QStringLiteral("media-playback-start"), QStringLiteral("resume"),
                    QKeySequence(tr("Ctrl+R")), &QueueActions::resumeTargets)),
      m_retry(make(tr("Re&try"), QStringLiteral("view-refresh"), QStringLiteral("retry"),
                   QKeySequence(tr("Ctrl+T")), &QueueActions::retryTargets)),
      m_remove(make(tr("Re&move"), QStringLiteral("list-remove"), QStringLiteral("remove"),
                    QKeySequence::Delete, &QueueActions::removeTargets)),
      m_pauseAll(make(tr("Pause &All"), QStringLiteral("media-playback-pause"),
                      QStringLiteral("pause"), QKeySequence(tr("Ctrl+Shift+P")),
                      &QueueActions::pauseEverything)),
      m_resumeAll(make(tr("Resume A&ll"), QStringLiteral("media-playback-start"),
                       QStringLiteral("resume"), QKeySequence(tr("Ctrl+Shift+R")),
                       &QueueActions::resumeEverything)),
      m_clearFinished(make(tr("&Clear Finished"), QStringLiteral("edit-clear-history"),
                           QStringLiteral("clear-finished"), QKeySequence(tr("Ctrl+Shift+L")),
                           &QueueActions::removeFinished)),
      m_openFolder(make(tr("&Open Containing Folder"), QStringLiteral("folder-open"), QString(),
                        QKeySequence(tr("Ctrl+E")), &QueueActions::openContainingFolder)),
      m_copyFileId(make(tr("&Copy File Id"), QStringLiteral("edit-copy"), QString(),
                        QKeySequence::Copy, &QueueActions::copyFileIds)),
      m_copyShareLink(make(tr("Copy &Share Link"), QStringLiteral("emblem-shared"), QString(),
                           QKeySequence(tr("Ctrl+Shift+C")),
                           &QueueActions::copyShareLinkOfSelected)) {
    // The toolbar keeps its short labels (it fits the default width); menus and
    // tooltips say whether the selection or the shown rows are meant.
    m_pause->setIconText(tr("Pause"));
    m_resume->setIconText(tr("Resume"));
    m_retry->setIconText(tr("Retry"));
    m_remove->setIconText(tr("Remove"));
    m_clearFinished->setToolTip(tr("Remove every finished upload from the queue"));
    m_copyShareLink->setToolTip(
        tr("Copy a link that lets anyone download the selected file, for a limited time"));
    for (QAction* action :
         {m_pause, m_resume, m_retry, m_remove, m_openFolder, m_copyFileId, m_copyShareLink}) {
        // Shortcuts of per-row actions belong to the table, not the whole window.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view.addAction(action);
    }
    updateEnabled();
}

QAction* QueueActions::make(const QString& text, const QString& themeIcon,
                            const QString& fallbackIcon, const QKeySequence& shortcut,
                            void (QueueActions::*slot)()) {
    const QIcon fallback = fallbackIcon.isEmpty()
                               ? QIcon()
                               : QIcon(QStringLiteral(":/icons/ui/%1.svg").arg(fallbackIcon));
    auto* action = new QAction(QIcon::fromTheme(themeIcon, fallback), text, this);
    action->setShortcut(shortcut);
    connect(action, &QAction::triggered, this, slot);
    return action;
}

QList<int> QueueActions::targetRows() const {
    const QList<int> selected = m_view.selectedSourceRows();
    return selected.isEmpty() ? m_view.shownSourceRows() : selected;
}

void QueueActions::updateEnabled() {
    bool fileId = false, share = false;
    const QList<int> selected = m_view.selectedSourceRows();
    for (const int row : selected) {
        share = share || m_host.engine().shareLinks().canShare(row);
        fileId = fileId || !value(row, QueueModel::FileIdRole).toString().isEmpty();
    }
    m_openFolder->setEnabled(!selected.isEmpty());
    m_copyFileId->setEnabled(fileId);
    m_copyShareLink->setEnabled(share);

    const bool shown = selected.isEmpty();
    int pause = 0, resume = 0, retry = 0;
    const QList<int> rows = shown ? m_view.shownSourceRows() : selected;
    for (const int row : rows) {
        const JobState state = stateOf(row);
        pause += canPause(state) ? 1 : 0;
        resume += canResume(state) ? 1 : 0;
        retry += canRetry(state) ? 1 : 0;
    }
    const int removable = static_cast<int>(rows.size());
    m_pause->setEnabled(pause > 0);
    m_resume->setEnabled(resume > 0);
    m_retry->setEnabled(retry > 0);
    m_remove->setEnabled(removable > 0);
    if (shown) {
        m_pause->setText(tr("&Pause %1 Shown").arg(pause));
        m_resume->setText(tr("&Resume %1 Shown").arg(resume));
        m_retry->setText(tr("Re&try %1 Shown").arg(retry));
        m_remove->setText(tr("Re&move %1 Shown").arg(removable));
        m_pause->setToolTip(
            tr("Nothing is selected: pause the %n upload(s) the list shows", nullptr, pause));
        m_resume->setToolTip(tr("Nothing is selected: resume the %n paused upload(s) the list "
                                "shows",
                                nullptr, resume));
        m_retry->setToolTip(tr("Nothing is selected: try the %n failed upload(s) the list shows "
                               "again",
                               nullptr, retry));
        m_remove->setToolTip(tr("Nothing is selected: remove the %n upload(s) the list shows "
                                "from the queue",
                                nullptr, removable));
    } else {
        m_pause->setText(tr("&Pause"));
        m_resume->setText(tr("&Resume"));
        m_retry->setText(tr("Re&try"));
        m_remove->setText(tr("Re&move"));
        m_pause->setToolTip(tr("Pause the selected uploads"));
        m_resume->setToolTip(tr("Resume the selected paused uploads"));
        m_retry->setToolTip(tr("Try the selected failed uploads again"));
        m_remove->setToolTip(tr("Remove the selected uploads from the queue"));
    }
    const bool any = m_host.model().rowCount() > 0;
    m_pauseAll->setEnabled(any);
    m_resumeAll->setEnabled(any);
    m_clearFinished->setEnabled(any);
}

void QueueActions::pauseTargets() {
    for (const int row : targetRows())
        m_host.queue().pause(row);
}

void QueueActions::resumeTargets() {
    for (const int row : targetRows())
        m_host.queue().resume(row);
}

void QueueActions::retryTargets() {
    for (const int row : targetRows())
        m_host.queue().retry(row);
}

bool QueueActions::confirmRemoval(const QList<int>& rows, bool shown) {
    const auto losing = std::count_if(rows.begin(), rows.end(), [this](int row) {
        return removalLosesWork(stateOf(row),
                                value(row, QueueModel::ConfirmedBytesRole).toLongLong());
    });
    QStringList text;
    // Without a selection, Delete reaches rows the user may not have looked at.
    if (shown)
        text << tr("Nothing is selected: all %n upload(s) the list shows will be removed from "
                   "the queue.",
                   nullptr, static_cast<int>(rows.size()));
    if (losing > 0)
        text << tr("%n upload(s) in progress will be stopped, and what reached the server so far "
                   "will be deleted there.",
                   nullptr, static_cast<int>(losing));
    if (text.isEmpty())
        return true;
    return QMessageBox::question(&m_view, tr("Remove Uploads"), text.join(QLatin1Char(' ')),
                                 QMessageBox::Yes | QMessageBox::Cancel,
                                 QMessageBox::Cancel) == QMessageBox::Yes;
}

void QueueActions::removeTargets() {
    const bool shown = m_view.selectedSourceRows().isEmpty();
    const QList<int> rows = targetRows();
    if (rows.isEmpty() || !confirmRemoval(rows, shown))
        return;
    m_host.queue().removeRows(rows);
}

void QueueActions::pauseEverything() {
    m_host.queue().pauseAll();
}
void QueueActions::resumeEverything() {
    m_host.queue().resumeAll();
}

void QueueActions::removeFinished() {
    m_host.queue().clearFinished();
}

void QueueActions::openContainingFolder() {
    const QList<int> rows = m_view.selectedSourceRows();
    const QModelIndex current = m_view.currentIndex();
    const auto* proxy = qobject_cast<const QSortFilterProxyModel*>(m_view.model());
    int row = rows.isEmpty() ? -1 : rows.first();
    if (current.isValid() && proxy && rows.contains(proxy->mapToSource(current).row()))
        row = proxy->mapToSource(current).row();
    if (row < 0)
        return;
    const QString path = value(row, QueueModel::PathRole).toString();
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
}

void QueueActions::copyFileIds() {
    QStringList ids;
    for (const int row : m_view.selectedSourceRows()) {
        const QString id = value(row, QueueModel::FileIdRole).toString();
        if (!id.isEmpty())
            ids << id;
    }
    if (!ids.isEmpty())
        QApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
}

void QueueActions::copyShareLinkOfSelected() {
    ShareLinks& links = m_host.engine().shareLinks();
    const QList<int> rows = m_view.selectedSourceRows();
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [&links](int candidate) { return links.canShare(candidate); });
    if (row == rows.end())
        return;
    // The engine is rebuilt when the settings change: connect to the one asked now.
    connect(&links, &ShareLinks::linkCreated, this, &QueueActions::shareLinkCreated,
            Qt::UniqueConnection);
    connect(&links, &ShareLinks::linkFailed, this, &QueueActions::shareLinkFailed,
            Qt::UniqueConnection);
    links.request(*row);
    emit status(tr("Creating a share link of %1…")
                    .arg(QFileInfo(value(*row, QueueModel::PathRole).toString()).fileName()));
}

void QueueActions::shareLinkCreated(const QString& path, const ShareLink& link) {
    QApplication::clipboard()->setText(link.url.toString());
    emit status(tr("Share link of %1 copied; it works until %2")
                    .arg(QFileInfo(path).fileName(),
                         QLocale().toString(link.expiresAt.toLocalTime(), QLocale::ShortFormat)));
}

void QueueActions::shareLinkFailed(const QString& path, const QString& reason) {
    emit status(tr("No share link for %1: %2").arg(QFileInfo(path).fileName(), reason));
}

} // namespace hoist
