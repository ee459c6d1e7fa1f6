#pragma once

#include <QByteArray>
#include <QFuture>
#include <QString>

#include <tl/expected.hpp>

namespace hoist {

// Reads [offset, offset + length) of a file on a worker thread, so a slow disk never
// stalls the GUI thread. The error is a sentence for the user.
QFuture<tl::expected<QByteArray, QString>> readChunk(QString path, qint64 offset, qint64 length);

} // namespace hoist
