#pragma once

#include "settings.h"

#include <QObject>

#include <functional>
#include <memory>

namespace hoist {

class QueueModel;
class UploadEngine;
class UploadQueue;

// Holds the running engine and the QueueModel over its queue, and applies new
// settings to them. Concurrency and the bandwidth limit change in place; a new
// server, token, CA file or timeout needs a new engine (UploadEngine takes its
// settings once), so the queue is saved, the engine rebuilt and the queue
// restored, with replaced() telling the views to take the new model.
class EngineHost final : public QObject {
    Q_OBJECT
  public:
    using Factory = std::function<std::unique_ptr<UploadEngine>(const Settings&)>;

    // Builds the engine at once and restores its persisted queue.
    EngineHost(Factory factory, const Settings& settings, QObject* parent = nullptr);
    ~EngineHost() override;

    UploadEngine& engine() { return *m_engine; }
    UploadQueue& queue();
    QueueModel& model() { return *m_model; }
    const Settings& settings() const { return m_settings; }

    void apply(const Settings& settings);

  signals:
    // The model and queue are about to be destroyed: drop every reference.
    void aboutToReplace();
    void replaced();

  private:
    void build();

    Factory m_factory;
    Settings m_settings;
    std::unique_ptr<UploadEngine> m_engine;
    std::unique_ptr<QueueModel> m_model;
};

} // namespace hoist
