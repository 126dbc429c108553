# SPDX-License-Identifier: GPL-2.0-or-later
"""The real Wireshark GUI with siptxn: scripts/gui-screenshot.sh opens a capture on
a virtual X display, expands the siptxn tree of an ACK and saves a screenshot;
with --flow-graph it opens Statistics -> Flow Graph, chooses the flow type "SIP
Transactions", saves a screenshot of that window and, through the window's
Export button, the diagram as text.

Fails, naming the packages, when the GUI tools are not installed (Wireshark's Qt
GUI, Xvfb, xdotool, xwd, netpbm): scripts/test.sh installs them, or by hand
    apt-get install wireshark xvfb xdotool x11-apps netpbm"""

import collections
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

from siptxn_e2e import capture, tshark
from test_views import CALL, PROXY, THREE_HOSTS, UAC, UAS, flow_arrows

SOURCE_DIR = os.environ.get("SIPTXN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
PLUGIN = os.environ.get("SIPTXN_PLUGIN", os.path.join(SOURCE_DIR, "build", "siptxn.so"))
SCRIPT = os.path.join(SOURCE_DIR, "scripts", "gui-screenshot.sh")
CAPTURE = os.path.join(SOURCE_DIR, "test-captures", "invite-486.pcapng")
ACK_FRAME = "5"
WIDTH, HEIGHT = 1024, 768
# The Flow Graph window takes the main window's width and 4/5 of its height:
# at this size the whole ladder of THREE_HOSTS fits without scrolling.
FLOW_WIDTH, FLOW_HEIGHT = 1200, 700
FLOW_WINDOW_NAME = "Wireshark \u00b7 Flow \u00b7 " + THREE_HOSTS

GUI_TOOLS = {"wireshark": "wireshark", "Xvfb": "xvfb", "xdotool": "xdotool", "xwd": "x11-apps",
             "xwdtopnm": "netpbm", "pnmtopng": "netpbm", "capinfos": "wireshark-common"}


def require_gui_tools():
    """Fails (a missing tool is a broken set-up, not a reason to skip: the README's
    test command installs them all) with the packages to install."""
    missing = sorted({package for tool, package in GUI_TOOLS.items() if shutil.which(tool) is None})
    if missing:
        raise AssertionError("the GUI test needs tools that are not installed: apt-get install %s"
                             % " ".join(missing))


def read_png(path):
    """(width, height, rows): rows is a list of bytes, 3 bytes (R, G, B) per pixel.
    Decodes 8-bit greyscale, RGB, palette, grey+alpha and RGBA PNGs, not interlaced."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("%s is not a PNG file" % path)
    position, idat, palette, header = 8, [], None, None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[position + 8 + length:position + 12 + length])[0]:
            raise AssertionError("%s: bad CRC in chunk %r" % (path, kind))
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [body[i:i + 3] for i in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None:
        raise AssertionError("%s has no IHDR chunk" % path)
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise AssertionError("%s: unsupported PNG (bit depth %d, colour type %d, interlace %d)"
                             % (path, depth, colour, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise AssertionError("%s: image data has %d bytes, expected %d" % (path, len(raw), height * (stride + 1)))
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        elif kind != 0:
            raise AssertionError("%s: unknown filter type %d in row %d" % (path, kind, y))
        previous = line
        if colour == 2:
            rows.append(bytes(line))
        elif colour == 6:
            rows.append(bytes(b for i in range(0, stride, 4) for b in line[i:i + 3]))
        elif colour == 3:
            rows.append(b"".join(palette[index] for index in line))
        else:  # grey, grey + alpha
            rows.append(bytes(line[i] for i in range(0, stride, channels) for _ in range(3)))
    return width, height, rows


def colours(rows):
    """Count of each (R, G, B) in the rows."""
    counts = {}
    for row in rows:
        for pixel in zip(row[0::3], row[1::3], row[2::3]):
            counts[pixel] = counts.get(pixel, 0) + 1
    return counts


def colour_bands(rows):
    """The coloured bands of a screenshot, top to bottom: [colour, height] for
    each run of pixel rows of which one colour other than a grey fills 30% or
    more.  Runs under 4 rows high (the blended edge between two bands) are
    left out, and the bands either side of one joined if they are alike."""
    bands = []
    for row in rows:
        counts = collections.Counter(zip(row[0::3], row[1::3], row[2::3]))
        colour, count = counts.most_common(1)[0]
        if count < 0.3 * len(row) / 3 or colour[0] == colour[1] == colour[2]:
            colour = None
        if bands and bands[-1][0] == colour:
            bands[-1][1] += 1
        else:
            bands.append([colour, 1])
    joined = []
    for colour, height in bands:
        if colour is None or height < 4:
            continue
        if joined and joined[-1][0] == colour:
            joined[-1][1] += height
        else:
            joined.append([colour, height])
    return joined


def runs(values):
    """[value, length] for each run of equal values."""
    found = []
    for value in values:
        if found and found[-1][0] == value:
            found[-1][1] += 1
        else:
            found.append([value, 1])
    return found


def first_appearance_numbers(values):
    """Each value replaced by its rank of first appearance: [b, a, b] -> [1, 2, 1]."""
    numbers = {}
    return [numbers.setdefault(value, len(numbers) + 1) for value in values]


class GuiScreenshotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_gui_tools()
        if not os.path.exists(PLUGIN):
            raise AssertionError("plugin %s not built: run cmake --build first" % PLUGIN)
        cls.work = tempfile.mkdtemp(prefix="siptxn-test-gui.")
        cls.logs = os.path.join(cls.work, "logs")
        cls.png = os.path.join(cls.work, "ack.png")
        cls.done = subprocess.run(
            [SCRIPT, "--plugin", PLUGIN, "--log-dir", cls.logs, "--size", "%dx%d" % (WIDTH, HEIGHT),
             CAPTURE, ACK_FRAME, cls.png],
            capture_output=True, text=True, timeout=600)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def assert_script_succeeded(self):
        self.assertEqual(self.done.returncode, 0,
                         "gui-screenshot.sh failed (%d):\n%s" % (self.done.returncode, self.done.stderr))

    def result(self):
        self.assert_script_succeeded()
        values = {}
        with open(os.path.join(self.logs, "result.txt"), encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("=")
                values[key] = value
        return values

    def test_wireshark_started(self):
        result = self.result()
        self.assertRegex(result.get("wireshark_pid", ""), r"^[1-9][0-9]*$")
        self.assertEqual(result.get("frame"), ACK_FRAME)
        self.assertTrue(os.path.exists(os.path.join(self.logs, "wireshark.log")))
        self.assertIn("Wireshark started, pid %s" % result["wireshark_pid"], self.done.stderr)

    def test_plugin_mapped_in_wireshark(self):
        result = self.result()
        with open(os.path.join(self.logs, "siptxn-maps.txt"), encoding="utf-8") as f:
            maps = [line.split() for line in f if line.strip()]
        self.assertTrue(maps, "siptxn.so is not in Wireshark's /proc/PID/maps")
        for fields in maps:
            self.assertTrue(fields[-1].endswith("/epan/siptxn.so"), fields)
        # At least one executable mapping: the code of the plugin, not just a read of the file.
        self.assertTrue(any("x" in fields[1] for fields in maps), maps)
        self.assertTrue(result.get("plugin_mapped", "").endswith("/siptxn.so"))
        self.assertEqual(os.path.realpath(result.get("plugin", "")), os.path.realpath(PLUGIN))

    def test_screenshot_is_not_blank(self):
        self.assert_script_succeeded()
        width, height, rows = read_png(self.png)
        self.assertEqual((width, height), (WIDTH, HEIGHT))
        counts = colours(rows)
        self.assertGreater(len(counts), 20, "the screenshot has only %d colours" % len(counts))
        commonest = max(counts.values())
        self.assertLess(commonest, 0.9 * width * height, "one colour covers %d of %d pixels"
                        % (commonest, width * height))

    def test_expanding_the_tree_changed_the_details_pane(self):
        self.assert_script_succeeded()
        _, height, after = read_png(self.png)
        _, _, before = read_png(os.path.join(self.logs, "before-expand.png"))
        # The packet list takes the top 22% of the screen; the details pane is below.
        top = height * 30 // 100
        changed = sum(1 for y in range(top, height) if after[y] != before[y])
        # The expanded siptxn tree of the ACK has more than 20 lines of text.
        self.assertGreater(changed, 200, "only %d pixel rows of the details pane changed" % changed)
        self.assertTrue(all(after[y] == before[y] for y in range(0, 40)),
                        "the menu bar changed while the tree was expanded")


class GuiFlowGraphTest(unittest.TestCase):
    """Statistics -> Flow Graph, Flow type "SIP Transactions", on the call
    through a proxy of lesson 38: the window, its colours and its diagram as
    the window's Export button saves it."""

    @classmethod
    def setUpClass(cls):
        require_gui_tools()
        if not os.path.exists(PLUGIN):
            raise AssertionError("plugin %s not built: run cmake --build first" % PLUGIN)
        cls.work = tempfile.mkdtemp(prefix="siptxn-test-gui.")
        cls.logs = os.path.join(cls.work, "logs")
        cls.png = os.path.join(cls.work, "flow-graph.png")
        cls.done = subprocess.run(
            [SCRIPT, "--flow-graph", "--plugin", PLUGIN, "--log-dir", cls.logs,
             "--size", "%dx%d" % (FLOW_WIDTH, FLOW_HEIGHT), capture(THREE_HOSTS), "1", cls.png],
            capture_output=True, text=True, timeout=600)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def result(self):
        self.assertEqual(self.done.returncode, 0,
                         "gui-screenshot.sh --flow-graph failed (%d):\n%s" % (self.done.returncode, self.done.stderr))
        values = {}
        with open(os.path.join(self.logs, "result.txt"), encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("=")
                values[key] = value
        return values

    def exported_text(self):
        with open(self.result()["flow_text"], encoding="utf-8") as f:
            return f.read()

    def test_flow_graph_window_opened_in_the_wireshark_with_siptxn(self):
        result = self.result()
        self.assertEqual(result.get("flow_window_name"), FLOW_WINDOW_NAME)
        self.assertEqual(result.get("flow_type"), "SIP Transactions")
        self.assertTrue(result.get("plugin_mapped", "").endswith("/siptxn.so"))
        self.assertIn("the Flow Graph window is open", self.done.stderr)

    def test_screenshot_is_the_flow_graph_window(self):
        self.result()
        width, height, rows = read_png(self.png)
        self.assertEqual(width, FLOW_WIDTH)
        self.assertLess(height, FLOW_HEIGHT)
        counts = colours(rows)
        self.assertGreater(len(counts), 20, "the screenshot has only %d colours" % len(counts))
        self.assertLess(max(counts.values()), 0.9 * width * height)

    def test_exported_diagram_is_the_ladder_of_the_call(self):
        nodes, arrows = flow_arrows(self.exported_text())
        self.assertEqual(nodes, [UAC, PROXY, UAS])
        self.assertEqual([(arrow.conversation, arrow.source, arrow.destination, arrow.comment) for arrow in arrows],
                         [(transaction, source, destination, comment)
                          for _, source, destination, _, transaction, comment in CALL])

    def test_exported_diagram_is_what_tshark_draws(self):
        # The GUI and tshark -z flow,siptxn,standard write the same text, but
        # for the spaces at the ends of lines.
        printed = tshark(["-r", capture(THREE_HOSTS), "-q", "-z", "flow,siptxn,standard"])
        self.assertEqual([line.rstrip() for line in self.exported_text().splitlines()],
                         [line.rstrip() for line in printed.splitlines()])

    def test_each_transaction_has_a_colour_of_its_own(self):
        self.result()
        _, _, rows = read_png(self.png)
        bands = colour_bands(rows)
        expected = runs([transaction for _, _, _, _, transaction, _ in CALL])
        self.assertEqual(len(bands), len(expected), "colour bands: %s" % bands)
        # One band per run of messages of one transaction, as many rows high.
        row_height = sum(height for _, height in bands) / len(CALL)
        self.assertEqual([round(height / row_height) for _, height in bands], [length for _, length in expected],
                         "colour bands: %s" % bands)
        # The same colour for the same transaction, another for another.
        self.assertEqual(first_appearance_numbers([colour for colour, _ in bands]),
                         first_appearance_numbers([transaction for transaction, _ in expected]),
                         "colour bands: %s" % bands)

    def test_default_flow_type_draws_one_colour(self):
        # What the window shows before "SIP Transactions" is chosen: every
        # message of the capture in one band of one colour.
        self.result()
        _, _, chosen = read_png(self.png)
        _, _, default = read_png(os.path.join(self.logs, "flow-default.png"))
        self.assertNotEqual(chosen, default)
        bands = colour_bands(default)
        self.assertEqual(len(bands), 1, "colour bands: %s" % bands)
        ladder_height = sum(height for _, height in colour_bands(chosen))
        self.assertAlmostEqual(bands[0][1], ladder_height, delta=0.1 * ladder_height)


class GuiScreenshotFailureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_gui_tools()

    def run_script(self, *args):
        with tempfile.TemporaryDirectory(prefix="siptxn-test-gui.") as work:
            output = os.path.join(work, "shot.png")
            done = subprocess.run([SCRIPT, "--plugin", PLUGIN] + list(args) + [output],
                                  capture_output=True, text=True, timeout=300)
            self.assertFalse(os.path.exists(output))
        return done

    def test_frame_past_the_end_is_refused(self):
        done = self.run_script(CAPTURE, "6")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("has 5 frames: there is no frame 6", done.stderr)

    def test_not_a_capture_is_refused(self):
        done = self.run_script(os.path.join(SOURCE_DIR, "test-captures", "crafted", "README.md"), "1")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("is it a capture file?", done.stderr)


if __name__ == "__main__":
    unittest.main()
