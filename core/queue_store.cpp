#include "queue_store.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace hoist {

namespace {
constexpr int kFormatVersion = 1;
}

QueueStore::QueueStore(QString directory) : m_directory(std::move(directory)) {}

QString QueueStore::defaultDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString QueueStore::filePath() const {
    return QDir(m_directory).filePath(QStringLiteral("queue.json"));
}

bool QueueStore::save(const QList<JobRecord>& records, QString* error) const {
    QJsonArray jobs;
    for (const JobRecord& record : records)
        jobs.append(record.toJson());
    const QJsonObject root{{"version", kFormatVersion}, {"jobs", jobs}};

    if (!QDir().mkpath(m_directory)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(m_directory);
        return false;
    }
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

QList<JobRecord> QueueStore::load() const {
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QList<JobRecord> records;
    for (const QJsonValue& value : root.value(QLatin1String("jobs")).toArray()) {
        if (auto record = JobRecord::fromJson(value.toObject()))
            records.append(std::move(*record));
    }
    return records;
}

} // namespace hoist
