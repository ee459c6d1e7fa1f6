// Times the desktop app over a queue of N files (10,000 by default), offscreen:
// adding them (and the longest stall of the GUI thread meanwhile), sorting by
// several columns, repainting, scrolling, a whole-table model update, the
// status-bar totals, the sidebar's filters and search with their counts, removing
// them all, and Clear Finished over N done rows. Jobs are paused as soon as they are queued, so
// what is measured is the window, not uploads.

#include "configuration.h"
#include "engine_host.h"
#include "filter_sidebar.h"
#include "main_window.h"
#include "queue_actions.h"
#include "queue_model.h"
#include "queue_store.h"
#include "queue_summary.h"
#include "queue_view.h"
#include "token_store.h"
#include "upload_engine.h"
#include "upload_queue.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>
#include <functional>

namespace {

double milliseconds(const std::function<void()>& work) {
    QElapsedTimer timer;
    timer.start();
    work();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void report(const char* what, double ms) {
    std::printf("%-46s %10.1f ms\n", what, ms);
}

// Sparse files of assorted sizes: creating them costs no disk space or time.
QString makeFiles(const QString& root, int count) {
    const QString folder = root + "/files";
    for (int i = 0; i < count; ++i) {
        const QString dir = QStringLiteral("%1/set-%2").arg(folder).arg(i / 100, 3, 10, QChar('0'));
        if (i % 100 == 0)
            QDir().mkpath(dir);
        QFile file(QStringLiteral("%1/file-%2.bin").arg(dir).arg(i, 5, 10, QChar('0')));
        if (!file.open(QIODevice::WriteOnly) || !file.resize((i * 7919LL % 100'000) * 1024 + 1))
            qFatal("cannot create %s", qPrintable(file.fileName()));
    }
    return folder;
}

// The longest time the event loop went without serving a 1 ms timer.
class StallMeter final {
  public:
    StallMeter() {
        m_tick.setInterval(1);
        QObject::connect(&m_tick, &QTimer::timeout,
                         [this] { m_longest = std::max(m_longest, m_clock.restart()); });
    }
    void start() {
        m_longest = 0;
        m_clock.start();
        m_tick.start();
    }
    qint64 stop() {
        m_tick.stop();
        return std::max(m_longest, m_clock.elapsed());
    }

  private:
    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
};

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rows = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 10000;
    QTemporaryDir root;
    std::printf("hoist UI benchmark: %d rows, platform %s\n", rows,
                qPrintable(QGuiApplication::platformName()));
    QString folder;
    report("create the files (setup, not the app)",
           milliseconds([&] { folder = makeFiles(root.path(), rows); }));

    QSettings store(root.filePath("hoist.ini"), QSettings::IniFormat);
    hoist::TokenStore tokens(store, QStringLiteral("hoist-bench"));
    hoist::Configuration configuration(store, tokens, {});
    configuration.overrideServer(QUrl("http://127.0.0.1:9"), QStringLiteral("bench"));
    const QString queueFolder = root.filePath("queue");
    hoist::EngineHost host(
        [queueFolder](const hoist::Settings& settings) {
            return std::make_unique<hoist::UploadEngine>(settings, queueFolder);
        },
        configuration.settings());
    hoist::MainWindow window(host, configuration, store);
    window.resize(1100, 700);
    window.show();
    QWidget* viewport = window.view().viewport();
    const auto repaint = [&] { viewport->repaint(); };

    StallMeter stalls;
    QEventLoop added;
    QObject::connect(&window, &hoist::MainWindow::pathsAdded, &added, [&] {
        host.queue().pauseAll(); // measure the window, not uploads
        added.quit();
    });
    stalls.start();
    report("add a folder of files, until all rows are in", milliseconds([&] {
               window.addPaths({folder});
               added.exec();
           }));
    report("  longest GUI-thread stall meanwhile", static_cast<double>(stalls.stop()));
    if (host.model().rowCount() != rows)
        qFatal("expected %d rows, got %d", rows, host.model().rowCount());
    report("first paint of the full table", milliseconds([&] {
               host.model().flush();
               QCoreApplication::processEvents();
               repaint();
           }));

    const std::pair<const char*, int> sorts[] = {
        {"sort by name, then repaint", hoist::QueueModel::Name},
        {"sort by size, then repaint", hoist::QueueModel::Size},
        {"sort by state, then repaint", hoist::QueueModel::State},
        {"sort by progress, then repaint", hoist::QueueModel::Confirmed}};
    for (const auto& [label, column] : sorts) {
        report(label, milliseconds([&] {
                   window.view().sortByColumn(column, Qt::DescendingOrder);
                   repaint();
               }));
    }
    window.view().sortByColumn(hoist::QueueModel::Name, Qt::AscendingOrder);

    constexpr int kRepaints = 100;
    report("repaint of the visible rows (mean of 100)", milliseconds([&] {
                                                            for (int i = 0; i < kRepaints; ++i)
                                                                repaint();
                                                        }) / kRepaints);

    constexpr int kSteps = 200;
    QScrollBar* scroll = window.view().verticalScrollBar();
    report("scroll one step and repaint (mean of 201)",
           milliseconds([&] {
               for (int i = 0; i <= kSteps; ++i) {
                   scroll->setValue(scroll->maximum() * i / kSteps);
                   repaint();
               }
           }) / (kSteps + 1));

    // Every job changes state at once: one whole-table dataChanged, re-sorted and repainted.
    window.view().sortByColumn(hoist::QueueModel::State, Qt::AscendingOrder);
    host.queue().resumeAll();
    host.queue().pauseAll();
    report("every row changed: coalesced update + repaint", milliseconds([&] {
               host.model().flush();
               repaint();
           }));
    report("status-bar totals over all rows", milliseconds([&] { window.summary().refresh(); }));

    // What the sidebar does: a state filter and a name search re-filter every row, and
    // the counts per state are one pass of the totals.
    auto* filters = window.sidebar().findChild<QListWidget*>(QStringLiteral("filters"));
    auto* search = window.sidebar().findChild<QLineEdit*>(QStringLiteral("search"));
    if (!filters || !search)
        qFatal("the sidebar has no filters or search");
    const QAbstractItemModel& shown = *window.view().model();
    const auto filterAndCount = [&](const char* label, int filterRow, const QString& text) {
        int count = 0;
        report(label, milliseconds([&] {
                   filters->setCurrentRow(filterRow);
                   search->setText(text);
                   count = shown.rowCount();
                   window.summary().refresh();
                   repaint();
               }));
        std::printf("%-46s %10d rows\n", "  shown", count);
    };
    filterAndCount("filter Paused + count + repaint", 3, QString());
    filterAndCount("filter Done (none) + count + repaint", 5, QString());
    filterAndCount("filter All, search \"file-01\" + count", 0, QStringLiteral("file-01"));
    filterAndCount("filter All, no search + count + repaint", 0, QString());

    // Remove over a large selection, then over all the rest (UploadQueue::removeRows,
    // which Clear Finished uses too): the per-row cost of the second, nine times
    // larger, should match the first's when removal is linear (a ratio near 1; a
    // removal row by row would show a ratio near the row counts' ratio).
    const int removed = std::min(1000, rows);
    window.view().selectionModel()->select(
        QItemSelection(window.view().model()->index(0, 0),
                       window.view().model()->index(removed - 1, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const double removal = milliseconds([&] { window.actions().remove()->trigger(); });
    if (host.model().rowCount() != rows - removed)
        qFatal("remove left %d rows", host.model().rowCount());
    std::printf("%-46s %10.1f ms\n",
                qPrintable(QStringLiteral("remove %1 selected rows").arg(removed)), removal);
    const int rest = host.model().rowCount();
    if (rest > 0) {
        window.view().selectAll();
        const double all = milliseconds([&] { window.actions().remove()->trigger(); });
        if (host.model().rowCount() != 0)
            qFatal("remove left %d rows", host.model().rowCount());
        std::printf("%-46s %10.1f ms\n",
                    qPrintable(QStringLiteral("remove the other %1 rows").arg(rest)), all);
        std::printf("%-46s %10.2f\n", "  per-row cost ratio (1.0 = linear)",
                    (all / rest) / std::max(removal / removed, 1e-6));
    }

    // Clear Finished over a restored queue of N done rows (UploadQueue::clearFinished).
    {
        QList<hoist::JobRecord> records;
        for (int i = 0; i < rows; ++i) {
            hoist::JobRecord record;
            record.path = QStringLiteral("%1/done-%2.bin").arg(folder).arg(i);
            record.size = 1;
            record.server = QUrl(QStringLiteral("http://127.0.0.1:9"));
            record.state = hoist::JobState::Done;
            records << record;
        }
        const QString doneFolder = root.filePath("queue-done");
        if (!hoist::QueueStore(doneFolder).save(records))
            qFatal("cannot save the done queue");
        hoist::EngineHost doneHost(
            [doneFolder](const hoist::Settings& settings) {
                return std::make_unique<hoist::UploadEngine>(settings, doneFolder);
            },
            configuration.settings());
        hoist::MainWindow doneWindow(doneHost, configuration, store);
        doneWindow.show();
        QCoreApplication::processEvents();
        const double clear = milliseconds([&] { doneWindow.actions().clearFinished()->trigger(); });
        if (doneHost.model().rowCount() != 0)
            qFatal("clear finished left %d rows", doneHost.model().rowCount());
        std::printf("%-46s %10.1f ms\n",
                    qPrintable(QStringLiteral("clear finished: %1 done rows").arg(rows)), clear);
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%-46s %10.1f MiB\n", "peak resident memory", usage.ru_maxrss / 1024.0);
    return 0;
}
