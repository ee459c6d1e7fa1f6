#include "file_hasher.h"

#include <QCoreApplication>
#include <QFile>
#include <QThreadPool>
#include <QtConcurrent>

#include <openssl/evp.h>

namespace hoist {

namespace {

constexpr qint64 kBlockSize = 1 << 20;

struct DigestContextDeleter {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

tl::expected<QString, QString> hashNow(const QString& path, HashProgress& progress) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tl::make_unexpected(file.errorString());
    std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        return tl::make_unexpected(QStringLiteral("SHA-256 is not available"));
    QByteArray block(kBlockSize, Qt::Uninitialized);
    while (true) {
        if (progress.cancelled.load(std::memory_order_relaxed))
            return tl::make_unexpected(QStringLiteral("hashing cancelled"));
        const qint64 got = file.read(block.data(), block.size());
        if (got < 0)
            return tl::make_unexpected(file.errorString());
        if (got == 0)
            break;
        EVP_DigestUpdate(context.get(), block.constData(), static_cast<size_t>(got));
        progress.hashedBytes.fetch_add(got, std::memory_order_relaxed);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest, &length);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(digest), static_cast<int>(length)).toHex());
}

// A hash keeps a thread for seconds. On Qt's global pool (one thread per core) a few
// files hashed at once took every thread, and the chunk reads of uploads that go on
// while their file is hashed (UploadJob) queued behind them: on two cores the upload
// stood still until a hash ended. Hashes get a pool of their own; the application
// owns it, so it is waited for (hashes are cancelled first) when the application ends.
QThreadPool* hashingPool() {
    static QThreadPool* const pool = new QThreadPool(QCoreApplication::instance());
    return pool;
}

} // namespace

QFuture<tl::expected<QString, QString>> hashFile(QString path,
                                                 std::shared_ptr<HashProgress> progress) {
    return QtConcurrent::run(hashingPool(), [path, progress] { return hashNow(path, *progress); });
}

} // namespace hoist
