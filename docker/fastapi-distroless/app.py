"""A minimal FastAPI service: gunicorn serves it, and the Dockerfile's prune step imports it."""

import numpy as np
from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/mean")
def mean(values: str = "1,2,3") -> dict[str, float]:
    return {"mean": float(np.mean([float(value) for value in values.split(",")]))}
