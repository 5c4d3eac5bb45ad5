"""Optional manual check that a wmpc-written dataset reads the way LeRobot reads it (needs pandas, pyarrow, av).

Usage: python3 lerobot_compat_check.py DATASET_DIR

It reads meta/tasks.parquet with pandas (task as the index, as LeRobotDatasetMetadata does), the episodes table and
a data file with pyarrow, and for every episode decodes the frames LeRobot asks for (from_timestamp + i / fps) with
PyAV, requiring each within 1e-4 s, LeRobot's default tolerance.
"""
import json, sys, glob
import pandas as pd, pyarrow.parquet as pq, av, numpy as np
root = sys.argv[1]
info = json.load(open(f"{root}/meta/info.json"))
tasks = pd.read_parquet(f"{root}/meta/tasks.parquet")
print("tasks index:", tasks.index.name, list(tasks.index), tasks.columns.tolist())
assert tasks.index.name == "task"
print("task_index of first:", int(tasks.loc[tasks.index[0]].task_index))
eps = pd.concat([pd.read_parquet(p) for p in sorted(glob.glob(f"{root}/meta/episodes/*/*.parquet"))])
print("episodes cols:", [c for c in eps.columns if not c.startswith("stats/")][:20])
data = pq.read_table(sorted(glob.glob(f"{root}/data/*/*.parquet"))[0])
print("data schema:", data.schema)
fps = info["fps"]
key = [k for k, v in info["features"].items() if v["dtype"] == "video"][0]
for _, e in eps.iterrows():
    path = f"{root}/" + info["video_path"].format(video_key=key, chunk_index=int(e[f"videos/{key}/chunk_index"]), file_index=int(e[f"videos/{key}/file_index"]))
    f0 = e[f"videos/{key}/from_timestamp"]
    query = [f0 + i / fps for i in range(int(e["length"]))]
    # LeRobot's pyav path: seek to first ts, decode until last, match within tolerance 1e-4
    c = av.open(path); s = c.streams.video[0]
    c.seek(int(query[0] / s.time_base), stream=s, backward=True, any_frame=False)
    got = []
    for fr in c.decode(s):
        ts = float(fr.pts * s.time_base)
        got.append((ts, fr.to_ndarray(format="rgb24")))
        if ts >= query[-1]: break
    c.close()
    tss = np.array([g[0] for g in got])
    dist = np.abs(np.array(query)[:, None] - tss[None, :]).min(1)
    assert (dist < 1e-4).all(), (e["episode_index"], dist.max())
    print(f"episode {int(e['episode_index'])}: {len(query)} frames matched within {dist.max():.2e} s, frame shape {got[0][1].shape}, pix_fmt {s.codec_context.pix_fmt}, codec {s.codec_context.name}")
print("OK")
