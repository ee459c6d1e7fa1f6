#pragma once

#include "job_record.h"

#include <QList>
#include <QString>

namespace hoist {

// The persisted queue: one JSON file, replaced atomically (QSaveFile) so a crash
// leaves either the old or the new queue, never half of one.
class QueueStore final {
  public:
    // `directory` is created on the first save.
    explicit QueueStore(QString directory);

    // QStandardPaths::AppDataLocation: XDG_DATA_HOME (or HOME) moves it on Linux.
    // Needs the application's organization and name to be set first.
    static QString defaultDirectory();

    QString filePath() const;
    // False with the reason when the file could not be written.
    bool save(const QList<JobRecord>& records, QString* error = nullptr) const;
    // An empty queue when there is no file; unusable records are skipped.
    QList<JobRecord> load() const;

  private:
    QString m_directory;
};

} // namespace hoist
