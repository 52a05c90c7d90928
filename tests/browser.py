"""A real headless browser for the tests: Debian's chromium, driven by selenium.

`.ci/run` installs chromium and chromium-driver; where neither can be installed the browser
tests skip, saying so (pytest -ra lists the reason).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

# Debian's by default; GitHub's runners have Google Chrome and its driver instead.
BROWSER = os.environ.get("GUIDELINT_TEST_CHROMIUM", "chromium")
DRIVER = os.environ.get("GUIDELINT_TEST_CHROMEDRIVER", "chromedriver")
WIDTH, HEIGHT = 1280, 800


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium showing pages at 1280x800, recording its console and its network
    requests."""
    browser, driver_program = shutil.which(BROWSER), shutil.which(DRIVER)
    if browser is None or driver_program is None:
        pytest.skip(
            f"no headless browser: {BROWSER} or {DRIVER} is missing; install Debian's "
            "chromium and chromium-driver (apt-get install chromium chromium-driver), as "
            ".ci/run does"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_program), options=options)
    try:
        # The page's own viewport, not the window around it, is 1280x800.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        yield driver
    finally:
        driver.quit()


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (from the DevTools network log)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
