#pragma once

#include <QString>

#include <optional>

namespace hoist {

// What makes a local file "the same file" across restarts (docs/architecture.md): path, size
// and modification time. A file whose identity changed is never uploaded into a
// session opened for its old content.
struct FileIdentity {
    QString path;
    qint64 size = 0;
    qint64 modifiedMs = 0; // milliseconds since the epoch

    // Nothing when the path is not a regular file.
    static std::optional<FileIdentity> of(const QString& path);

    bool operator==(const FileIdentity&) const = default;
};

} // namespace hoist
