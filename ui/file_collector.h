#pragma once

#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

namespace hoist {

// Turns what a person dropped or picked into the files to queue: folders are
// walked on a worker thread (a deep tree can take seconds on a slow disk), and
// the files arrive on the GUI thread through collected().
class FileCollector final : public QObject {
    Q_OBJECT
  public:
    using QObject::QObject;

    // The local paths among `urls` (remote ones cannot be uploaded from here).
    static QStringList localPaths(const QList<QUrl>& urls);

    // Starts a walk; collected() follows once it is done.
    void collect(QStringList paths);
    bool isBusy() const { return m_pending > 0; }

  signals:
    void collected(const QStringList& files);

  private:
    int m_pending = 0;
};

} // namespace hoist
