"""The .npz model file: exact round trips, and hostile files refused quickly and in bounded memory.

Every hostile file is built here, small on disk; each refusal must be a ValueError naming the
problem, within 1 s and 300 MB (tracemalloc traces NumPy's allocations too).
"""

import io
import json
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib

import numpy as np
import pytest
from numpy.lib import format as npy

from engine import Network, model_file
from engine.model_file import FORMAT, MAX_PARAMETERS, VERSION, Field

SECONDS_BUDGET = 1.0
MEMORY_BUDGET = 300 * 2**20
MiB = 2**20
BOMB_BYTES = 1200 * MiB  # the zeros of a 1.26 GB float64 array, deflated to ~1.2 MB


# ---- building files ---------------------------------------------------------------

def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header(shape, dtype="<f8", version=(1, 0)):
    """An .npy header announcing ``shape`` and ``dtype`` (the data is up to the caller)."""
    buffer = io.BytesIO()
    header = {"descr": npy.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": shape}
    writer = npy.write_array_header_1_0 if version == (1, 0) else npy.write_array_header_2_0
    writer(buffer, header)
    return buffer.getvalue()


def config_json(**changes):
    header = dict(Network([2, 1]).config(), format=FORMAT, version=VERSION)
    header.update(changes)
    return json.dumps(header)


def members_of(config=None, **arrays):
    """The members of a ``[2, 1]`` model (zero weights), with ``config`` (JSON text) and
    ``arrays`` (name -> .npy bytes) replaced."""
    members = {"config.npy": npy_bytes(np.array(config or config_json())),
               "W0.npy": npy_bytes(np.zeros((1, 2))), "b0.npy": npy_bytes(np.zeros(1))}
    members.update({f"{name}.npy": data for name, data in arrays.items()})
    return members


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of duplicate names
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


def write_model(path, config=None, **arrays):
    return write_zip(path, members_of(config, **arrays).items())


LOCAL_HEADER = struct.Struct("<4s5H3L2H")
CENTRAL_HEADER = struct.Struct("<4s6H3L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
ZIP64_LOCATOR = struct.Struct("<4sLQL")


def write_raw_zip(path, members, zip64_entries=None):
    """A zip written byte by byte: ``members`` are ``(name, payload, method, crc, file_size,
    flags)``, the payload already compressed, so that a member may announce any size.  With
    ``zip64_entries`` a zip64 end record claims that many members."""
    body, directory = b"", b""
    for name, payload, method, crc, file_size, flags in members:
        name = name.encode()
        fields = (20, flags, method, 0, 0x21, crc, len(payload), file_size, len(name))
        directory += CENTRAL_HEADER.pack(b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, len(body)) + name
        body += LOCAL_HEADER.pack(b"PK\x03\x04", *fields, 0) + name + payload
    end = END_RECORD.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    if zip64_entries is not None:
        at = len(body) + len(directory)
        end = (ZIP64_END_RECORD.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, zip64_entries, zip64_entries,
                                     len(directory), len(body))
               + ZIP64_LOCATOR.pack(b"PK\x06\x07", 0, at, 1) + end)
    path.write_bytes(body + directory + end)
    return path


def stored(name, data, flags=0):
    return (name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data), flags)


def deflated_zeros(header, n_zeros):
    """``(payload, method, crc, file_size, flags)`` of a deflated member: ``header`` then
    ``n_zeros`` zero bytes (a multiple of a MiB), from ~1 kB per MiB: one compressed MiB of
    zeros, repeated (each copy ends in a full flush, so it needs nothing before it)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(header) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    payload = head + block * (n_zeros // MiB) + compressor.flush()
    crc, zeros = zlib.crc32(header), bytes(16 * MiB)
    for _ in range(n_zeros // len(zeros)):
        crc = zlib.crc32(zeros, crc)
    return payload, zipfile.ZIP_DEFLATED, crc, len(header) + n_zeros, 0


@pytest.fixture(scope="module")
def bomb():
    """A member inflating to a 1.26 GB float64 array of zeros, from 1.2 MB."""
    return deflated_zeros(npy_header((BOMB_BYTES // 8,)), BOMB_BYTES)


def bomb_as(name, bomb):
    return (name, *bomb)


# ---- the hostile files: name -> (build(tmp_path, bomb) -> path, the refusal's message) ----

def sizes_without_data(sizes):
    """A config declaring ``sizes`` with every array's .npy header announcing the right shape
    and no data behind it: small on disk, huge if believed."""
    arrays = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        arrays[f"W{l}"], arrays[f"b{l}"] = npy_header((n_out, n_in)), npy_header((n_out,))
    return lambda tmp, bomb: write_model(tmp / "m.npz", config_json(sizes=sizes), **arrays)


HOSTILE = {
    "array header declaring 10^6 x 10^6": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=npy_header((10**6, 10**6)) + bytes(16)),
        r"layer 0: weights W0 \(1000000, 1000000\) do not fit the config's sizes \(expected \(1, 2\)\)"),
    "config header declaring a 10^8-character string": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", {
            **members_of(), "config.npy": npy_header((), dtype="<U100000000") + bytes(64)}.items()),
        r"config is too long: 100,000,000 characters; at most 262,144"),
    "sizes [200000, 200000, 2]": (
        sizes_without_data([200000, 200000, 2]),
        r"call for 40,000,600,002 parameters; at most 10,000,000"),
    "sizes [20000, 20000, 2]": (
        sizes_without_data([20000, 20000, 2]),
        r"call for 400,060,002 parameters; at most 10,000,000"),
    "65 layers": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(sizes=[1] * 66)),
        r"sizes list 65 layers; at most 64"),
    "config nested 100 000 deep": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json()[:-1] + ', "deep": '
                                      + "[" * 100_000 + "]" * 100_000 + "}"),
        r"nested too deeply"),
    "config of 300 000 characters": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(note="x" * 300_000)),
        r"config is too long: 300,\d{3} characters"),
    "extra 1.2 GB deflated member": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [stored(n, d) for n, d in members_of().items()]
                                        + [bomb_as("extra.npy", bomb)]),
        r"the model's arrays \['W0', 'b0', 'extra'\] do not match its layers \['W0', 'b0'\]"),
    "W0 inflating to 1.2 GB": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [stored("config.npy", members_of()["config.npy"]),
                                                        bomb_as("W0.npy", bomb),
                                                        stored("b0.npy", npy_bytes(np.zeros(1)))]),
        r"layer 0: weights W0 \(157286400,\) do not fit the config's sizes \(expected \(1, 2\)\)"),
    "W0 of the right shape followed by 1.2 GB": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [
            stored("config.npy", members_of()["config.npy"]),
            ("W0.npy", *deflated_zeros(npy_bytes(np.zeros((1, 2))), BOMB_BYTES)),
            stored("b0.npy", npy_bytes(np.zeros(1)))]),
        r"member W0 declares 1,258,291,344 bytes but its .npy header announces 144"),
    "sizes '352'": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(sizes="352")),
        r"sizes must be a list of whole numbers; got '352'"),
    "size 5.9": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(sizes=[2, 5.9, 1])),
        r"sizes must be a list of whole numbers; got \[2, 5.9, 1\]"),
    "size true": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(sizes=[2, True])),
        r"sizes must be a list of whole numbers; got \[2, True\]"),
    "bias 'no'": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(bias="no")),
        r"bias must be true or false; got 'no'"),
    "seed -1": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(seed=-1)),
        r"seed must be a whole number in 0..2\*\*64-1; got -1"),
    "activation 7": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(activation=7)),
        r"activation must be a text string; got 7"),
    "version true": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(version=True)),
        r"unsupported model version True; this engine reads version 1"),
    "unknown field": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json(dropout=0.5)),
        r"unknown fields \['dropout'\]"),
    "missing field": (
        lambda tmp, bomb: write_model(tmp / "m.npz", json.dumps({"format": FORMAT, "version": 1,
                                                                  "sizes": [2, 1]})),
        r"it has no 'activation'"),
    "a JSON key twice": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json()[:-1] + ', "seed": 5}'),
        r"not valid JSON \(a key appears twice"),
    "NaN in the JSON": (
        lambda tmp, bomb: write_model(tmp / "m.npz", config_json()[:-1] + ', "x": NaN}'),
        r"not valid JSON \(NaN is not a number JSON allows\)"),
    "float16 weights": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=npy_bytes(np.zeros((1, 2), np.float16))),
        r"layer 0: weights W0 must be floating point, float64 or float32; got float16"),
    "complex biases": (
        lambda tmp, bomb: write_model(tmp / "m.npz", b0=npy_bytes(np.zeros(1, np.complex128))),
        r"layer 0: biases b0 must be floating point, float64 or float32; got complex128"),
    "pickled objects": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=npy_header((1, 2), dtype=object) + bytes(64)),
        r"not an NN Playground model: W0 holds Python objects"),
    "infinite bias": (
        lambda tmp, bomb: write_model(tmp / "m.npz", b0=npy_bytes(np.array([np.inf]))),
        r"layer 0: b0 contains NaN or infinity"),
    "array longer than its header says": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=npy_bytes(np.zeros((1, 2))) + bytes(8)),
        r"member W0 declares 152 bytes but its .npy header announces 144"),
    "array shorter than its header says": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=npy_bytes(np.zeros((1, 2)))[:-8]),
        r"member W0 declares 136 bytes but its .npy header announces 144"),
    ".npy header of 10 MB": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=b"\x93NUMPY\x02\x00" + struct.pack("<I", 10**7)),
        r"W0's .npy header takes 10,000,000 bytes; at most 4,096"),
    ".npy version 3": (
        lambda tmp, bomb: write_model(tmp / "m.npz", W0=b"\x93NUMPY\x03\x00" + bytes(140)),
        r"W0 is an .npy file of version \(3, 0\)"),
    "corrupt data (CRC)": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [
            stored("config.npy", members_of()["config.npy"]),
            (*stored("W0.npy", npy_bytes(np.zeros((1, 2))))[:3], 12345, 144, 0),
            stored("b0.npy", npy_bytes(np.zeros(1)))]),
        r"W0 cannot be read \(Bad CRC-32"),
    "corrupt config (CRC)": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [
            (*stored("config.npy", members_of()["config.npy"])[:3], 12345, len(members_of()["config.npy"]), 0),
            stored("W0.npy", npy_bytes(np.zeros((1, 2)))), stored("b0.npy", npy_bytes(np.zeros(1)))]),
        r"config cannot be read \(Bad CRC-32"),
    "config of invalid characters": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", {
            **members_of(), "config.npy": npy_header((), dtype="<U2") + b"\xff" * 8}.items()),
        r"not an NN Playground model: its config is not valid text"),
    "config that is not text": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", {**members_of(), "config.npy": npy_bytes(np.zeros(3))}.items()),
        r"not an NN Playground model: its config is not a text string"),
    "not a zip": (
        lambda tmp, bomb: tmp.joinpath("m.npz").write_bytes(b"just some text\n" * 80) and tmp / "m.npz",
        r"not an NN Playground model \(.npz\) file: it is not a zip archive"),
    "a CSV renamed .npz": (
        lambda tmp, bomb: tmp.joinpath("m.npz").write_text("x,y,label\n0,1,a\n") and tmp / "m.npz",
        r"not an NN Playground model \(.npz\) file: it is not a zip archive"),
    "10 000 members": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", [(f"a{i}.npy", b"") for i in range(10_000)]),
        r"the archive lists 10,000 members; a model has at most 129"),
    "zip64 record claiming 10^9 members": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [stored(n, d) for n, d in members_of().items()],
                                        zip64_entries=10**9),
        r"a zip64 archive"),
    "a member twice": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", list(members_of().items()) + [("W0.npy", b"")]),
        r"the archive holds 'W0.npy', twice"),
    "a member that is not .npy": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", list(members_of().items()) + [("run.py", b"")]),
        r"the archive holds 'run.py', which is not an .npy array"),
    "encrypted member": (
        lambda tmp, bomb: write_raw_zip(tmp / "m.npz", [stored(n, d, flags=0x1) for n, d in members_of().items()]),
        r"member config.npy is encrypted"),
    "LZMA member": (
        lambda tmp, bomb: write_zip(tmp / "m.npz", members_of().items(), zipfile.ZIP_LZMA),
        r"member config.npy uses compression method 14; only stored or deflated are read"),
}


def measure_refusal(path, match):
    """``(seconds, peak bytes)`` of ``Network.load(path)``, which must refuse with ``match``."""
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with pytest.raises(ValueError, match=match):
            Network.load(path)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_is_refused_quickly_in_bounded_memory(tmp_path, bomb, case):
    build, match = HOSTILE[case]
    path = build(tmp_path, bomb)
    assert path.stat().st_size < 2 * MiB
    seconds, peak = measure_refusal(path, match)
    assert seconds < SECONDS_BUDGET, f"{case}: {seconds:.3f} s"
    assert peak < MEMORY_BUDGET, f"{case}: {peak / MiB:.0f} MB"


def test_the_bomb_is_a_valid_member_that_really_inflates(tmp_path, bomb):
    """The deflated member is sound: a reader that trusts it gets all its bytes (checked on a
    prefix) and a matching CRC, so refusing it is the loader's doing."""
    path = write_raw_zip(tmp_path / "bomb.zip", [bomb_as("extra.npy", bomb)])
    with zipfile.ZipFile(path) as archive, archive.open("extra.npy") as stream:
        assert archive.getinfo("extra.npy").file_size == 128 + BOMB_BYTES
        assert npy.read_magic(stream) == (1, 0)
        assert npy.read_array_header_1_0(stream) == ((BOMB_BYTES // 8,), False, np.dtype("<f8"))
        assert stream.read(4 * MiB) == bytes(4 * MiB)


def test_a_missing_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match=r"not an NN Playground model \(.npz\) file: .*No such file"):
        Network.load(tmp_path / "absent.npz")


# ---- what loads ----------------------------------------------------------------------

@pytest.mark.parametrize("config", [
    dict(sizes=[2, 8, 8, 2], activation="relu", init="he", seed=4),
    dict(sizes=[4, 3], output="sigmoid", loss="mse", bias=False, init="uniform", seed=1),
    dict(sizes=[3, 5, 1], activation="sigmoid", init="small_normal", seed=2**64 - 1),
    dict(sizes=[2, 4, 1], output="identity", loss="mse", seed=0),
])
def test_valid_model_round_trips_bit_exactly(tmp_path, config):
    net = Network(**config)
    rng = np.random.default_rng(7)
    for W, b in net.params:
        W[...] = rng.standard_normal(W.shape) * 10.0 ** rng.integers(-300, 300, W.shape)
        b[...] = rng.standard_normal(b.shape)
    path = tmp_path / "model.npz"
    net.save(path)
    buffer = io.BytesIO()
    net.save(buffer)
    for source in (path, str(path), buffer.getvalue(), io.BytesIO(buffer.getvalue())):
        twin = Network.load(source)
        assert twin.config() == net.config()
        for (W, b), (W2, b2) in zip(net.params, twin.params):
            assert W2.dtype == b2.dtype == np.float64
            assert W.tobytes() == W2.tobytes() and b.tobytes() == b2.tobytes()
            assert W2.flags.writeable and W2.flags.c_contiguous


def test_a_version_1_file_as_the_first_engine_wrote_it_loads(tmp_path):
    """np.savez of the JSON config and W0, b0, W1, b1, as Network.save wrote version 1."""
    header = {"sizes": [2, 3, 1], "activation": "tanh", "output": "sigmoid", "loss": "log_loss",
              "init": "xavier", "bias": True, "seed": 0, "format": "nn-playground-model", "version": 1}
    W0, b0, W1, b1 = np.arange(6.0).reshape(3, 2), np.array([0.5, -1, 2]), np.ones((1, 3)), np.array([-0.25])
    path = tmp_path / "v1.npz"
    np.savez(path, config=np.array(json.dumps(header)), W0=W0, b0=b0, W1=W1, b1=b1)
    net = Network.load(path)
    assert net.sizes == [2, 3, 1] and net.activation == "tanh"
    X = np.array([[0.1, -0.2]])
    expected = 1 / (1 + np.exp(-(np.tanh(X @ W0.T + b0) @ W1.T + b1)))
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-14)


@pytest.mark.parametrize("layout", ["float32", "big-endian", "fortran-order", "deflated"])
def test_other_faithful_layouts_load_the_same_numbers(tmp_path, layout):
    W0, b0 = np.array([[1.5, -2.25, 3.0], [0.1, 0.2, 0.3]]), np.array([0.5, -0.5])
    arrays = {"float32": (W0.astype(np.float32), b0.astype(np.float32)),
              "big-endian": (W0.astype(">f8"), b0.astype(">f8")),
              "fortran-order": (np.asfortranarray(W0), b0),
              "deflated": (W0, b0)}[layout]
    header = json.dumps(dict(Network([3, 2]).config(), format=FORMAT, version=VERSION))
    config = np.array(header, dtype=f">U{len(header)}" if layout == "big-endian" else None)
    path = tmp_path / "m.npz"
    save = np.savez_compressed if layout == "deflated" else np.savez
    save(path, config=config, W0=arrays[0], b0=arrays[1])
    W, b = Network.load(path).params[0]
    np.testing.assert_array_equal(W, arrays[0].astype(np.float64))
    np.testing.assert_array_equal(b, arrays[1].astype(np.float64))
    assert W.dtype == np.float64 and W.flags.c_contiguous


def test_the_largest_model_allowed_loads_within_the_budget(tmp_path):
    """The limit leaves the loading of a model at the limit inside the budget."""
    sizes = [100, 98_000, 1]
    net = Network(sizes, seed=0)
    assert MAX_PARAMETERS - 10_000 < net.n_params == 9_996_001 <= MAX_PARAMETERS
    path = tmp_path / "largest.npz"
    net.save(path)
    timings = []
    for _ in range(3):  # the best of three: what the load costs, not what a busy machine adds to it
        start = time.perf_counter()
        twin = Network.load(path)
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        Network.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    for (W, b), (W2, b2) in zip(net.params, twin.params):
        assert W.tobytes() == W2.tobytes() and b.tobytes() == b2.tobytes()
    assert min(timings) < SECONDS_BUDGET and peak < MEMORY_BUDGET, (timings, peak / MiB)


def test_save_refuses_a_model_that_load_would_refuse(tmp_path, monkeypatch):
    monkeypatch.setattr(model_file, "MAX_PARAMETERS", 20)
    Network([2, 4, 1]).save(tmp_path / "small.npz")  # 17 parameters
    with pytest.raises(ValueError, match=r"sizes \[2, 5, 1\] call for 21 parameters; at most 20"):
        Network([2, 5, 1]).save(tmp_path / "big.npz")
    assert not (tmp_path / "big.npz").exists()


# ---- a field added to the format -------------------------------------------------------

class NamedNetwork(Network):
    """A network that also carries its input features' names, as a later format might."""

    def __init__(self, sizes, feature_names=None, **options):
        super().__init__(sizes, **options)
        self.feature_names = feature_names

    def config(self):
        named = {"feature_names": self.feature_names} if self.feature_names is not None else {}
        return dict(super().config(), **named)


def feature_names(name, value, config):
    if not (isinstance(value, list) and all(isinstance(n, str) for n in value)):
        raise ValueError(f"{name} must be a list of strings")
    if len(value) != config["sizes"][0]:
        raise ValueError(f"{name} lists {len(value)} names for {config['sizes'][0]} inputs")
    return value


def test_an_optional_field_is_one_registry_entry_and_old_files_still_load(tmp_path, monkeypatch):
    old = tmp_path / "old.npz"
    Network([2, 3, 1], seed=3).save(old)
    monkeypatch.setitem(model_file.FIELDS, "feature_names", Field(feature_names, required=False))
    assert NamedNetwork.load(old).feature_names is None
    NamedNetwork([2, 3, 1], feature_names=["petal length", "petal width"]).save(tmp_path / "new.npz")
    assert NamedNetwork.load(tmp_path / "new.npz").feature_names == ["petal length", "petal width"]
    NamedNetwork([2, 3, 1], feature_names=["only one"]).save(tmp_path / "bad.npz")
    with pytest.raises(ValueError, match="config is invalid: feature_names lists 1 names for 2 inputs"):
        NamedNetwork.load(tmp_path / "bad.npz")
