#include "main_window.h"

#include "configuration.h"
#include "engine_host.h"
#include "filter_sidebar.h"
#include "queue_actions.h"
#include "queue_model.h"
#include "queue_view.h"
#include "server_indicators.h"
#include "settings_dialog.h"
#include "throughput_graph.h"
#include "tray_icon.h"
#include "upload_engine.h"
#include "upload_queue.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace hoist {

namespace {

QIcon applicationIcon() {
    const QString packaged = QStringLiteral(":/icons/hoist.svg");
    return QIcon::fromTheme(QStringLiteral("hoist"),
                            QIcon(QFile::exists(packaged)
                                      ? packaged
                                      : QStringLiteral(":/icons/ui/hoist-fallback.svg")));
}

QIcon themed(const char* themeName, const char* fallback) {
    return QIcon::fromTheme(
        QLatin1String(themeName),
        QIcon(QStringLiteral(":/icons/ui/%1.svg").arg(QLatin1String(fallback))));
}

bool hasLocalFiles(const QMimeData* mime) {
    return mime && mime->hasUrls() && !FileCollector::localPaths(mime->urls()).isEmpty();
}

} // namespace

MainWindow::MainWindow(EngineHost& host, Configuration& configuration, QSettings& windowState,
                       QWidget* parent)
    : QMainWindow(parent), m_host(host), m_configuration(configuration), m_windowState(windowState),
      m_view(new QueueView(this)), m_sidebar(new FilterSidebar(this)),
      m_actions(new QueueActions(m_host, *m_view, this)) {
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    m_view->setModel(&m_proxy);
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);
    connect(m_sidebar, &FilterSidebar::filterChosen, &m_proxy, &QueueSortProxy::setStateFilter);
    connect(m_sidebar, &FilterSidebar::searchChanged, &m_proxy, &QueueSortProxy::setNameFilter);
    resize(1000, 560);

    buildMenusAndToolbar();
    buildStatusBar();
    m_tray = std::make_unique<TrayIcon>(
        windowIcon(), QList<QAction*>{m_showWindow, nullptr, m_actions->pauseAll(),
                                      m_actions->resumeAll(), nullptr, m_quit});
    connect(m_tray.get(), &TrayIcon::toggleWindowRequested, this, &MainWindow::toggleVisible);
    connect(&m_notifier, &JobNotifier::notify, m_tray.get(), &TrayIcon::showMessage);

    connect(&m_collector, &FileCollector::collected, this, &MainWindow::queueFiles);
    connect(&m_summary, &QueueSummary::updated, this, &MainWindow::showTotals);
    connect(&m_summary, &QueueSummary::updated, m_sidebar,
            [this](const QueueTotals& totals) { m_sidebar->setCounts(totals.perFilter); });
    connect(&m_summary, &QueueSummary::sampled, m_graph, &ThroughputGraph::addSample);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, m_actions,
            &QueueActions::updateEnabled);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(&m_proxy, signal, m_actions, &QueueActions::updateEnabled);
    connect(&m_proxy, &QAbstractItemModel::modelReset, m_actions, &QueueActions::updateEnabled);
    // Without a selection the actions count the shown rows, which a new filter changes.
    connect(&m_proxy, &QAbstractItemModel::layoutChanged, m_actions, &QueueActions::updateEnabled);
    // The engine's model already coalesces job updates to a few per second.
    connect(&m_proxy, &QAbstractItemModel::dataChanged, m_actions, &QueueActions::updateEnabled);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_actions, &QueueActions::status, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    m_view->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view->horizontalHeader(), &QWidget::customContextMenuRequested, this,
            &MainWindow::showHeaderMenu);

    connect(&m_host, &EngineHost::aboutToReplace, this, &MainWindow::unbindEngine);
    connect(&m_host, &EngineHost::replaced, this, &MainWindow::bindEngine);
    connect(&m_configuration, &Configuration::changed, this, &MainWindow::applyConfiguration);
    bindEngine();
    applyConfiguration();
    restoreWindowState();
}

MainWindow::~MainWindow() {
    // Totals no longer reach the tray, which lists this window's actions: it goes
    // while they exist.
    disconnect(&m_summary, nullptr, this, nullptr);
    m_tray.reset();
    unbindEngine();
}

void MainWindow::buildMenusAndToolbar() {
    m_addFiles = new QAction(themed("document-open", "add-file"), tr("Add &Files…"), this);
    m_addFiles->setShortcut(QKeySequence::Open);
    m_addFiles->setToolTip(tr("Choose files to upload"));
    connect(m_addFiles, &QAction::triggered, this, &MainWindow::chooseFiles);
    m_addFolder = new QAction(themed("folder-new", "add-folder"), tr("Add F&older…"), this);
    m_addFolder->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    m_addFolder->setToolTip(tr("Choose a folder to upload with everything inside it"));
    connect(m_addFolder, &QAction::triggered, this, &MainWindow::chooseFolder);
    m_settings = new QAction(themed("configure", "settings"), tr("&Settings…"), this);
    m_settings->setShortcuts({QKeySequence::Preferences, QKeySequence(tr("Ctrl+,"))});
    m_settings->setMenuRole(QAction::PreferencesRole);
    connect(m_settings, &QAction::triggered, this, &MainWindow::openSettings);
    m_showWindow = new QAction(tr("&Show Hoist"), this);
    connect(m_showWindow, &QAction::triggered, this, &MainWindow::toggleVisible);
    m_quit = new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, this, &MainWindow::quit);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_addFiles, m_addFolder});
    file->addSeparator();
    file->addAction(m_settings);
    file->addSeparator();
    file->addAction(m_quit);
    QMenu* queue = menuBar()->addMenu(tr("&Queue"));
    queue->addActions(
        {m_actions->pause(), m_actions->resume(), m_actions->retry(), m_actions->remove()});
    queue->addSeparator();
    queue->addActions({m_actions->pauseAll(), m_actions->resumeAll(), m_actions->clearFinished()});
    queue->addSeparator();
    queue->addActions(
        {m_actions->openFolder(), m_actions->copyFileId(), m_actions->copyShareLink()});

    QToolBar* toolbar = addToolBar(tr("Queue"));
    toolbar->setObjectName(QStringLiteral("queueToolbar"));
    // Labels under the icons: ten labelled actions fit the default width without
    // an overflow arrow, where labels beside the icons did not.
    toolbar->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    toolbar->setMovable(false);
    toolbar->addActions({m_addFiles, m_addFolder});
    toolbar->addSeparator();
    toolbar->addActions(
        {m_actions->pause(), m_actions->resume(), m_actions->retry(), m_actions->remove()});
    toolbar->addSeparator();
    toolbar->addActions(
        {m_actions->pauseAll(), m_actions->resumeAll(), m_actions->clearFinished()});
    auto* spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addAction(m_settings);
}

void MainWindow::buildStatusBar() {
    m_filesLabel = new QLabel(this);
    m_bytesLabel = new QLabel(this);
    m_speedLabel = new QLabel(this);
    m_graph = new ThroughputGraph(300, this);
    m_servers = new ServerIndicators(this);
    statusBar()->addPermanentWidget(m_servers);
    statusBar()->addPermanentWidget(m_filesLabel);
    statusBar()->addPermanentWidget(m_bytesLabel);
    statusBar()->addPermanentWidget(m_speedLabel);
    statusBar()->addPermanentWidget(m_graph);
}

void MainWindow::bindEngine() {
    m_proxy.setSourceModel(&m_host.model());
    m_summary.setModel(&m_host.model());
    m_notifier.setQueue(&m_host.queue());
    m_servers->setWatch(&m_host.engine().serverWatch());
    m_actions->updateEnabled();
}

void MainWindow::unbindEngine() {
    m_servers->setWatch(nullptr);
    m_notifier.setQueue(nullptr);
    m_summary.setModel(nullptr);
    m_proxy.setSourceModel(nullptr);
}

void MainWindow::applyConfiguration() {
    const Settings& settings = m_configuration.settings();
    m_notifier.setEnabled(m_configuration.preferences().notifications);
    const QUrl server = settings.serverUrl;
    setWindowTitle(server.isEmpty() ? tr("Hoist")
                                    : tr("Hoist — %1")
                                          .arg(server.toDisplayString(QUrl::RemoveUserInfo |
                                                                      QUrl::StripTrailingSlash)));
    m_host.apply(settings);
}

void MainWindow::addPaths(const QStringList& paths) {
    if (paths.isEmpty())
        return;
    statusBar()->showMessage(tr("Looking for files…"));
    m_collector.collect(paths);
}

void MainWindow::queueFiles(const QStringList& files) {
    const int before = m_host.model().rowCount();
    const QStringList rejected = m_host.queue().addPaths(files, m_host.settings().serverUrl,
                                                         m_host.settings().serverProtocol);
    const int added = m_host.model().rowCount() - before;
    statusBar()->setToolTip(rejected.join(QLatin1Char('\n')));
    if (rejected.isEmpty()) {
        statusBar()->showMessage(tr("%n file(s) added", nullptr, added), 5000);
    } else {
        statusBar()->showMessage(
            tr("%n file(s) added; %1 could not be read", nullptr, added).arg(rejected.size()),
            10000);
    }
    emit pathsAdded(added, rejected);
}

void MainWindow::showTotals(const QueueTotals& totals) {
    const QLocale locale;
    if (totals.jobs == 0) {
        m_filesLabel->setText(tr("Queue empty"));
        m_bytesLabel->clear();
        m_speedLabel->clear();
        m_tray->setTotals(totals);
        return;
    }
    QString files = tr("%n file(s)", nullptr, totals.jobs);
    QStringList parts;
    if (totals.done > 0)
        parts << tr("%1 done").arg(totals.done);
    if (totals.running > 0)
        parts << tr("%1 uploading").arg(totals.running);
    if (totals.paused > 0)
        parts << tr("%1 paused").arg(totals.paused);
    if (totals.failed > 0)
        parts << tr("%1 failed").arg(totals.failed);
    if (!parts.isEmpty())
        files += tr(": %1").arg(parts.join(tr(", ")));
    m_filesLabel->setText(files);
    m_bytesLabel->setText(tr("%1 of %2 confirmed")
                              .arg(locale.formattedDataSize(totals.confirmedBytes),
                                   locale.formattedDataSize(totals.totalBytes)));
    m_speedLabel->setText(
        totals.bytesPerSecond > 0
            ? tr("%1/s").arg(locale.formattedDataSize(static_cast<qint64>(totals.bytesPerSecond)))
            : QString());
    m_tray->setTotals(totals);
}

void MainWindow::chooseFiles() {
    addPaths(QFileDialog::getOpenFileNames(this, tr("Add Files")));
}

void MainWindow::chooseFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Folder"));
    if (!folder.isEmpty())
        addPaths({folder});
}

void MainWindow::openSettings() {
    SettingsDialog dialog(m_configuration.settings(), m_configuration.preferences(),
                          m_configuration.tokenOutcome(), m_tray->isAvailable(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // Configuration::changed() applies the result once the token is stored.
    [[maybe_unused]] auto detached =
        m_configuration.update(dialog.settings(), dialog.preferences());
}

void MainWindow::showContextMenu(const QPoint& position) {
    QMenu menu(this);
    menu.addActions({m_actions->pause(), m_actions->resume(), m_actions->retry()});
    menu.addSeparator();
    menu.addActions({m_actions->openFolder(), m_actions->copyFileId(), m_actions->copyShareLink()});
    menu.addSeparator();
    menu.addAction(m_actions->remove());
    if (m_view->selectionModel()->hasSelection())
        menu.exec(m_view->viewport()->mapToGlobal(position));
}

void MainWindow::showHeaderMenu(const QPoint& position) {
    QHeaderView* header = m_view->horizontalHeader();
    QMenu menu(this);
    for (int section = 0; section < header->count(); ++section) {
        QAction* action = menu.addAction(m_proxy.headerData(section, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(section));
        // The file name is what identifies a row: it stays.
        action->setEnabled(section != QueueModel::Name);
        connect(action, &QAction::toggled, header,
                [header, section](bool shown) { header->setSectionHidden(section, !shown); });
    }
    menu.exec(header->mapToGlobal(position));
}

void MainWindow::toggleVisible() {
    if (isVisible() && !isMinimized()) {
        hide();
        return;
    }
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::quit() {
    m_quitting = true;
    close();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowState();
    if (!m_quitting && m_configuration.preferences().keepRunningInTray && m_tray->isAvailable()) {
        hide();
        event->ignore();
        return;
    }
    event->accept();
    QApplication::quit();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (hasLocalFiles(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (hasLocalFiles(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList paths = FileCollector::localPaths(event->mimeData()->urls());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

void MainWindow::restoreWindowState() {
    QHeaderView* header = m_view->horizontalHeader();
    const QByteArray columns = m_windowState.value("window/columns").toByteArray();
    if (columns.isEmpty() || !header->restoreState(columns)) {
        const std::pair<int, int> widths[] = {
            {QueueModel::Name, 280},      {QueueModel::Size, 80},  {QueueModel::State, 140},
            {QueueModel::Confirmed, 160}, {QueueModel::Speed, 90}, {QueueModel::Eta, 70}};
        for (const auto& [column, width] : widths)
            header->resizeSection(column, width);
        header->setSectionHidden(QueueModel::FileId, true);
    }
    m_view->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    restoreGeometry(m_windowState.value("window/geometry").toByteArray());
}

void MainWindow::saveWindowState() {
    m_windowState.setValue("window/geometry", saveGeometry());
    m_windowState.setValue("window/columns", m_view->horizontalHeader()->saveState());
    m_windowState.sync();
}

} // namespace hoist
