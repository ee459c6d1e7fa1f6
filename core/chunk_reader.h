#pragma once

#include <QByteArray>
#include <QFuture>
#include <QString>

#include <tl/expected.hpp>

namespace hoist {

// Reads [offset, offset + length) of a file on a worker thread, so a slow disk never
// stalls the GUI thread. The error is a sentence for the user.
QFuture<tl::expected<QByteArray, QString>> readChunk(QString path, qint64 offset, qint64 length);

// The chunks of one file, each read while the one before it is on the wire: with one
// chunk read ahead the sender never waits for the disk, and at most two chunks are in
// memory. A read-ahead nobody asks for is dropped when its result comes in.
class ChunkReader final {
  public:
    explicit ChunkReader(QString path) : m_path(std::move(path)) {}

    // The read-ahead when it was for this very range, else a fresh read.
    QFuture<tl::expected<QByteArray, QString>> read(qint64 offset, qint64 length);
    // Starts reading the range the next read() will most likely ask for.
    void readAhead(qint64 offset, qint64 length);

  private:
    QString m_path;
    qint64 m_aheadOffset = -1;
    qint64 m_aheadLength = 0;
    QFuture<tl::expected<QByteArray, QString>> m_ahead;
};

} // namespace hoist
