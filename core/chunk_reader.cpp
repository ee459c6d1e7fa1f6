#include "chunk_reader.h"

#include <QFile>
#include <QtConcurrent>

namespace hoist {

QFuture<tl::expected<QByteArray, QString>> readChunk(QString path, qint64 offset, qint64 length,
                                                     QByteArray buffer) {
    return QtConcurrent::run(
        [path, offset, length,
         bytes = std::move(buffer)]() mutable -> tl::expected<QByteArray, QString> {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return tl::make_unexpected(file.errorString());
            if (!file.seek(offset))
                return tl::make_unexpected(file.errorString());
            bytes.resize(length); // within the capacity of a buffer handed back: no allocation
            qint64 filled = 0;
            while (filled < length) {
                const qint64 got = file.read(bytes.data() + filled, length - filled);
                if (got < 0)
                    return tl::make_unexpected(file.errorString());
                if (got == 0)
                    return tl::make_unexpected(
                        QStringLiteral("the file is shorter than when it was added"));
                filled += got;
            }
            return std::move(bytes);
        });
}

} // namespace hoist
