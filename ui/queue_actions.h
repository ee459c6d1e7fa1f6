#pragma once

#include "job_state.h"

#include <QObject>

class QAction;
class QWidget;

namespace hoist {

class EngineHost;
struct ShareLink;
class QueueView;

// The actions on jobs, for the toolbar, the menus, the context menu and the
// tray: each one enabled only when the selection has a job it applies to (Pause,
// Resume, Retry and Remove: with nothing selected, the rows the list shows), and
// each one calling the engine's queue, which decides what actually happens.
class QueueActions final : public QObject {
    Q_OBJECT
  public:
    // `view` shows the host's model (through a sort proxy) and parents dialogs.
    QueueActions(EngineHost& host, QueueView& view, QObject* parent = nullptr);

    QAction* pause() const { return m_pause; }
    QAction* resume() const { return m_resume; }
    QAction* retry() const { return m_retry; }
    QAction* remove() const { return m_remove; }
    QAction* pauseAll() const { return m_pauseAll; }
    QAction* resumeAll() const { return m_resumeAll; }
    QAction* clearFinished() const { return m_clearFinished; }
    QAction* openFolder() const { return m_openFolder; }
    QAction* copyFileId() const { return m_copyFileId; }
    QAction* copyShareLink() const { return m_copyShareLink; }

    // Re-reads the selection's states; called on selection and data changes.
    void updateEnabled();

  signals:
    // A line for the status bar: how an action that answers later turned out.
    void status(const QString& message);

  private:
    QAction* make(const QString& text, const QString& themeIcon, const QString& fallbackIcon,
                  const QKeySequence& shortcut, void (QueueActions::*slot)());
    // The rows Pause, Resume, Retry and Remove act on: the selection, or with nothing
    // selected every row the filter and the search show.
    QList<int> targetRows() const;
    void pauseTargets();
    void resumeTargets();
    void retryTargets();
    void removeTargets();
    void pauseEverything();
    void resumeEverything();
    void removeFinished();
    void openContainingFolder();
    void copyFileIds();
    void copyShareLinkOfSelected();
    void shareLinkCreated(const QString& path, const hoist::ShareLink& link);
    void shareLinkFailed(const QString& path, const QString& reason);
    bool confirmRemoval(const QList<int>& rows, bool shown);
    // A raw value of a row of the engine's model (source rows, not view rows).
    QVariant value(int row, int role) const;
    JobState stateOf(int row) const;

    EngineHost& m_host;
    QueueView& m_view;
    QAction* m_pause;
    QAction* m_resume;
    QAction* m_retry;
    QAction* m_remove;
    QAction* m_pauseAll;
    QAction* m_resumeAll;
    QAction* m_clearFinished;
    QAction* m_openFolder;
    QAction* m_copyFileId;
    QAction* m_copyShareLink;
};

} // namespace hoist
