//! The sound card through cpal: the default microphone fills the capture queue (mono), the
//! default output drains the playback queue (stereo). Both at 48 kHz in f32, which ALSA's
//! default device converts to whatever the hardware wants. cpal's streams must stay on the
//! thread that made them, so one small thread holds them until the devices are dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};

use super::engine::AudioRings;

const RATE: u32 = 48_000;

/// What the sound card offers, as found when opening it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub microphone: bool,
}

pub struct AudioDevices {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl AudioDevices {
    /// Opens the default output (needed) and microphone (optional: without one the visitor
    /// still hears the room). An error says in words what is missing.
    pub fn open(rings: AudioRings) -> Result<(AudioDevices, Opened), String> {
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = mpsc::channel();
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("voice-audio".into())
            .spawn(move || {
                let streams = open_streams(&rings);
                let opened = streams.as_ref().map(|(_, mic)| Opened {
                    microphone: mic.is_some(),
                });
                let _ = ready_tx.send(opened.map_err(|e| e.clone()));
                if streams.is_ok() {
                    while !stopping.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                drop(streams);
            })
            .map_err(|e| e.to_string())?;
        let opened = ready_rx
            .recv_timeout(Duration::from_secs(5))
            .map_err(|_| "the sound card did not answer".to_string())??;
        Ok((
            AudioDevices {
                stop,
                thread: Some(thread),
            },
            opened,
        ))
    }
}

impl Drop for AudioDevices {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

type Streams = (cpal::Stream, Option<cpal::Stream>);

/// The device's own channel count at our rate (ALSA's default device converts the rate).
fn at_48khz(channels: u16) -> cpal::StreamConfig {
    cpal::StreamConfig {
        channels,
        sample_rate: RATE,
        buffer_size: cpal::BufferSize::Default,
    }
}

fn open_streams(rings: &AudioRings) -> Result<Streams, String> {
    let host = cpal::default_host();
    let output = host
        .default_output_device()
        .ok_or("no sound output (speakers or headphones) found")?;
    let out_channels = output
        .default_output_config()
        .map(|c| c.channels().max(1))
        .unwrap_or(2);
    let config = at_48khz(out_channels);
    let playback = rings.playback.clone();
    let channels = out_channels as usize;
    let out_stream = output
        .build_output_stream::<f32, _, _>(
            config,
            move |data: &mut [f32], _| {
                let Ok(mut queue) = playback.lock() else {
                    data.fill(0.0);
                    return;
                };
                for frame in data.chunks_mut(channels) {
                    let left = queue.pop_front().unwrap_or(0.0);
                    let right = queue.pop_front().unwrap_or(0.0);
                    match frame {
                        [mono] => *mono = (left + right) * 0.5,
                        [l, r, rest @ ..] => {
                            *l = left;
                            *r = right;
                            rest.fill(0.0);
                        }
                        [] => {}
                    }
                }
            },
            |e| bevy::log::warn!("voice output: {e}"),
            None,
        )
        .map_err(|e| format!("the sound output cannot play 48 kHz: {e}"))?;
    out_stream.play().map_err(|e| e.to_string())?;
    let microphone = host.default_input_device().and_then(|input| {
        let in_channels = input
            .default_input_config()
            .map(|c| c.channels().max(1))
            .unwrap_or(1);
        let config = at_48khz(in_channels);
        let capture = rings.capture.clone();
        let channels = in_channels as usize;
        let stream = input
            .build_input_stream::<f32, _, _>(
                config,
                move |data: &[f32], _| {
                    if let Ok(mut queue) = capture.lock() {
                        // Mono: the first channel (a headset's microphone is on it).
                        queue.extend(data.iter().step_by(channels));
                    }
                },
                |e| bevy::log::warn!("voice input: {e}"),
                None,
            )
            .map_err(|e| bevy::log::warn!("no microphone stream: {e}"))
            .ok()?;
        stream.play().ok()?;
        Some(stream)
    });
    Ok((out_stream, microphone))
}
