#pragma once

#include "file_collector.h"
#include "job_notifier.h"
#include "queue_sort_proxy.h"
#include "queue_summary.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QSettings;

namespace hoist {

class Configuration;
class EngineHost;
class FilterSidebar;
class QueueActions;
class QueueView;
class ServerIndicators;
class ThroughputGraph;
class TrayIcon;

// The window people keep open: the queue table, its actions in a toolbar, menus
// and a context menu, totals, each server's reachability and a throughput graph in
// the status bar, and drops of files and folders anywhere on it. It only shows and
// asks: the engine (through EngineHost) decides what happens to a job.
class MainWindow final : public QMainWindow {
    Q_OBJECT
  public:
    // `windowState` keeps geometry, column widths and sort between runs.
    MainWindow(EngineHost& host, Configuration& configuration, QSettings& windowState,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    // Queues files and everything inside folders (walked off the GUI thread);
    // pathsAdded() follows.
    void addPaths(const QStringList& paths);
    void openSettings();
    // Geometry, column widths and sort (also done when the window closes).
    void saveWindowState();

    QueueView& view() { return *m_view; }
    FilterSidebar& sidebar() { return *m_sidebar; }
    QueueActions& actions() { return *m_actions; }
    QueueSummary& summary() { return m_summary; }
    TrayIcon& tray() { return *m_tray; }
    ThroughputGraph& graph() { return *m_graph; }
    ServerIndicators& serverIndicators() { return *m_servers; }

  signals:
    // After addPaths() or a drop: how many files were queued, which paths not.
    void pathsAdded(int added, const QStringList& rejected);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void buildMenusAndToolbar();
    void buildStatusBar();
    void bindEngine();
    void unbindEngine();
    void queueFiles(const QStringList& files);
    void showTotals(const QueueTotals& totals);
    void applyConfiguration();
    void chooseFiles();
    void chooseFolder();
    void showContextMenu(const QPoint& position);
    void showHeaderMenu(const QPoint& position);
    void toggleVisible();
    void quit();
    void restoreWindowState();

    EngineHost& m_host;
    Configuration& m_configuration;
    QSettings& m_windowState;
    QueueSortProxy m_proxy;
    QueueSummary m_summary;
    FileCollector m_collector;
    JobNotifier m_notifier;
    QueueView* m_view;
    FilterSidebar* m_sidebar;
    QueueActions* m_actions;
    QAction* m_addFiles;
    QAction* m_addFolder;
    QAction* m_settings;
    QAction* m_showWindow;
    QAction* m_quit;
    QLabel* m_filesLabel;
    QLabel* m_bytesLabel;
    QLabel* m_speedLabel;
    ServerIndicators* m_servers;
    ThroughputGraph* m_graph;
    std::unique_ptr<TrayIcon> m_tray;
    bool m_quitting = false;
};

} // namespace hoist
