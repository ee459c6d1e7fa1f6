#include "file_collector.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent>

namespace hoist {

namespace {

// Runs on a worker thread: touches nothing but the file system.
QStringList expandFolders(const QStringList& paths) {
    QStringList files;
    for (const QString& path : paths) {
        if (!QFileInfo(path).isDir()) {
            files << path;
            continue;
        }
        QStringList inside;
        QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            inside << it.next();
        inside.sort(); // the queue lists a folder's files in a predictable order
        files << inside;
    }
    return files;
}

} // namespace

QStringList FileCollector::localPaths(const QList<QUrl>& urls) {
    QStringList paths;
    for (const QUrl& url : urls) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    return paths;
}

void FileCollector::collect(QStringList paths) {
    if (paths.isEmpty())
        return;
    ++m_pending;
    auto* watcher = new QFutureWatcher<QStringList>(this);
    connect(watcher, &QFutureWatcher<QStringList>::finished, this, [this, watcher] {
        --m_pending;
        watcher->deleteLater();
        emit collected(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(expandFolders, std::move(paths)));
}

} // namespace hoist
