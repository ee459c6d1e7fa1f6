#include "file_identity.h"

#include <QDateTime>
#include <QFileInfo>

namespace hoist {

std::optional<FileIdentity> FileIdentity::of(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile())
        return std::nullopt;
    return FileIdentity{info.absoluteFilePath(), info.size(),
                        info.lastModified().toMSecsSinceEpoch()};
}

} // namespace hoist
