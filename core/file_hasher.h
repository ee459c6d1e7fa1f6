#pragma once

#include <QFuture>
#include <QString>

#include <tl/expected.hpp>

#include <atomic>
#include <memory>

namespace hoist {

// Shared between the job (GUI thread) and the hashing worker.
struct HashProgress {
    std::atomic<qint64> hashedBytes{0};
    std::atomic<bool> cancelled{false};
};

// SHA-256 of a whole file as lowercase hex, computed on a worker thread in blocks
// (the file is never held in memory) with OpenSSL, which uses the CPU's SHA
// extensions: several times faster here than QCryptographicHash or sha256sum.
// The error is a sentence for the user; a cancelled hash answers an error too.
QFuture<tl::expected<QString, QString>> hashFile(QString path,
                                                 std::shared_ptr<HashProgress> progress);

} // namespace hoist
