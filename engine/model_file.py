"""The ``.npz`` model file: save a network, and load one without trusting the file.

The format (``FORMAT``, ``VERSION`` 1) is a zip of ``.npy`` members, as ``np.savez`` writes it:

- ``config.npy``: a 0-d text array holding JSON ``{"format", "version", <the FIELDS>}``;
- ``W{l}.npy``: layer ``l``'s weights ``(n_out, n_in)``; ``b{l}.npy``: its biases ``(n_out,)``;
  float64 as written (float32 is read too), never pickled objects.

Loading reads only small, bounded things before it has checked them: the zip's end record
(member count, directory size), the member names, flags and compression methods, each
member's ``.npy`` header (its length capped) and the config (capped in length and nesting),
whose fields and the parameter count its sizes call for (``MAX_PARAMETERS``) are checked.
Only when every member's name, dtype and shape agree with the config, and its declared
uncompressed size with its header, is any array's data read: in chunks, exactly the bytes
announced, so that no member inflates beyond them.  Every refusal is a ``ValueError``
naming the problem.

To add a field to the format, add one entry to ``FIELDS``: its check (which sees the fields
validated before it, e.g. ``sizes``) and ``required=False``, so that files written before it
(version 1) still load.  Fields marked ``card`` are not the network's constructor arguments but
its :class:`engine.model_card.ModelCard` (feature names, class names, standardisation): what
using the model on raw data needs; ``load`` gives them back as ``net.card``.
"""

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from math import prod
from os import PathLike

import numpy as np
from numpy.lib import format as npy

from .features import PLANE_COORDINATES, check_inputs
from .model_card import ModelCard
from .tasks import REGRESSION, TASKS

FORMAT = "nn-playground-model"
VERSION = 1

MAX_LAYERS = 64                  # weight layers; the CLI allows 21
MAX_PARAMETERS = 10_000_000      # weights and biases: 80 MB of float64 in the file
MAX_CONFIG_CHARS = 262_144       # the config's JSON; room for 1,000 feature names
MAX_MEMBERS = 2 * MAX_LAYERS + 1  # the config and a W and b per layer
MAX_DIRECTORY_BYTES = 65_536     # the zip's central directory (~60 bytes a member)
MAX_NPY_HEADER = 4_096           # an .npy header; numpy writes 128 bytes for these arrays
READ_CHUNK = 1 << 20             # bytes of array data read at a time

NOT_A_MODEL = "not an NN Playground model"
FLOATS = (np.dtype(np.float64), np.dtype(np.float32))
NPY_HEADER_READERS = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}
NPY_LENGTH_FIELDS = {(1, 0): struct.Struct("<H"), (2, 0): struct.Struct("<I")}
COMPRESSIONS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
END_RECORD = struct.Struct("<4s4H2LH")  # signature, disks, entries here/total, size, offset, comment
END_SIGNATURE, ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
ZIP64_LOCATOR_BYTES = 20


# ---- the config's fields ------------------------------------------------------

def _whole_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


def string(name, value, config):
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a text string; got {_short(value)}")
    return value


def boolean(name, value, config):
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false; got {_short(value)}")
    return value


def seed(name, value, config):
    if not _whole_number(value) or not 0 <= value < 2**64:
        raise ValueError(f"{name} must be a whole number in 0..2**64-1; got {_short(value)}")
    return value


def layer_sizes(name, value, config):
    if not isinstance(value, list) or not all(_whole_number(n) for n in value):
        raise ValueError(f"{name} must be a list of whole numbers; got {_short(value)}")
    check_sizes(value)
    return value


def task(name, value, config):
    if value not in TASKS:
        raise ValueError(f"{name} must be one of {', '.join(TASKS)}; got {_short(value)}")
    return value


def input_features(name, value, config):
    """None (the input layer holds the rows) or the names of the input features, one per input unit."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise ValueError(f"{name} must be null or a list of input feature names; got {_short(value)}")
    try:
        check_inputs(value)
    except ValueError as error:
        raise ValueError(f"{name}: {str(error)[:200]}") from None
    if len(value) != config["sizes"][0]:
        raise ValueError(f"{name} lists {len(value)} features for {config['sizes'][0]} input units")
    return value


def n_inputs(config):
    """Columns of the raw rows: the two plane coordinates of a network with input features."""
    return PLANE_COORDINATES if config.get("inputs") is not None else config["sizes"][0]


def n_classes(config):
    """Classes told apart by ``sizes[-1]`` output units: one unit stands for two classes; none
    for a regression network."""
    if config.get("task") == REGRESSION:
        return 0
    sizes = config["sizes"]
    return 2 if sizes[-1] == 1 else sizes[-1]


def names_of(count, what):
    """The check of a list of distinct names, ``count(config)`` of them (one per ``what``)."""

    def check(name, value, config):
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            raise ValueError(f"{name} must be a list of text strings; got {_short(value)}")
        expected = count(config)
        if len(value) != expected:
            raise ValueError(f"{name} lists {len(value)} names for {expected} {what}")
        if len(set(value)) != len(value):
            twice = next(n for j, n in enumerate(value) if n in value[:j])
            raise ValueError(f"{name} lists {_short(twice)} twice")
        return value

    return check


def _finite_numbers(name, value, length):
    if not isinstance(value, list) or len(value) != length or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in value):
        raise ValueError(f"{name} must be a list of {length} finite numbers; got {_short(value)}")
    return [float(v) for v in value]


def standardisation(name, value, config):
    """``{"mean": [d numbers], "scale": [d numbers > 0]}``: the network sees ``(raw - mean) / scale``."""
    if not isinstance(value, dict) or sorted(value) != ["mean", "scale"]:
        raise ValueError(f"{name} must be {{\"mean\": [...], \"scale\": [...]}}; got {_short(value)}")
    d = n_inputs(config)
    mean = _finite_numbers(f"{name} mean", value["mean"], d)
    scale = _finite_numbers(f"{name} scale", value["scale"], d)
    if min(scale) <= 0:
        raise ValueError(f"{name} scale must be > 0; got {_short(value['scale'])}")
    return {"mean": mean, "scale": scale}


def target_number(name, value, config):
    """A regression network's target standardisation (``target_mean``; ``target_scale`` > 0): a
    finite number, and only in the config of a regression network."""
    if config.get("task") != REGRESSION:
        raise ValueError(f"{name} belongs to a regression network only")
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {_short(value)}")
    if name == "target_scale" and value <= 0:
        raise ValueError(f"{name} must be > 0; got {_short(value)}")
    return float(value)


@dataclass(frozen=True)
class Field:
    """One entry of the config: ``check(name, value, config) -> value`` raises a ValueError
    naming the problem (``config`` holds the fields checked before); a file may leave out a
    field that is not ``required``."""

    check: Callable[[str, object, dict], object]
    required: bool = True
    card: bool = False  # part of the ModelCard, not an argument of the network's constructor


FIELDS = {
    "sizes": Field(layer_sizes),
    "activation": Field(string),
    "output": Field(string),
    "loss": Field(string),
    "init": Field(string),
    "bias": Field(boolean),
    "seed": Field(seed),
    "task": Field(task, required=False),
    "inputs": Field(input_features, required=False),
    "target_mean": Field(target_number, required=False),
    "target_scale": Field(target_number, required=False),
    "feature_names": Field(names_of(n_inputs, "inputs"), required=False, card=True),
    "class_names": Field(names_of(n_classes, "classes"), required=False, card=True),
    "standardisation": Field(standardisation, required=False, card=True),
}


def check_sizes(sizes):
    """Refuse layer sizes this format will not load: too many layers or parameters."""
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least an input and an output size, all >= 1; got {_short(sizes)}")
    if len(sizes) - 1 > MAX_LAYERS:
        raise ValueError(f"sizes list {len(sizes) - 1:,} layers; at most {MAX_LAYERS}")
    n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if n_params > MAX_PARAMETERS:
        raise ValueError(f"sizes {_short(sizes)} call for {n_params:,} parameters; at most {MAX_PARAMETERS:,}")


def array_shapes(config):
    """The arrays the config calls for: name -> shape, W ``(n_out, n_in)`` and b ``(n_out,)``."""
    sizes = config["sizes"]
    shapes = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        shapes[f"W{l}"], shapes[f"b{l}"] = (n_out, n_in), (n_out,)
    return shapes


# ---- save -----------------------------------------------------------------------

def save(net, file, card=None):
    """Write ``net``'s config and weights to ``file`` (a path or a binary file object), and
    ``card``'s parts (a :class:`ModelCard`), checked as ``load`` checks them."""
    check_sizes(net.sizes)
    header = dict(net.config())
    for name, value in (card.fields() if card is not None else {}).items():
        try:
            FIELDS[name].check(name, value, header)
        except ValueError as error:
            raise ValueError(f"the model card does not fit the network: {error}") from None
        header[name] = value
    header.update(format=FORMAT, version=VERSION)
    arrays = {"config": np.array(json.dumps(header))}
    for l, (W, b) in enumerate(net.params):
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    np.savez(file, **arrays)


# ---- load -----------------------------------------------------------------------

def load(file, network_class):
    """Read a model written by :func:`save` (a path, bytes or a binary file object) into a
    ``network_class``; refuses a malformed, foreign or oversized file with a ValueError."""
    if isinstance(file, (bytes, bytearray)):
        file = io.BytesIO(file)
    if isinstance(file, (str, PathLike)):
        try:
            with open(file, "rb") as stream:
                return _load(stream, network_class)
        except OSError as error:
            raise ValueError(f"{NOT_A_MODEL} (.npz) file: {error}") from None
    return _load(file, network_class)


def _load(stream, network_class):
    _check_end_record(stream)
    with _reading("the file"):
        archive = zipfile.ZipFile(stream)
    with archive:
        members = _members(archive)
        config = _config(archive, members)
        shapes = array_shapes(config)
        arrays = sorted(set(members) - {"config"})
        if arrays != sorted(shapes):
            raise ValueError(f"the model's arrays {_short(arrays)} do not match its layers {sorted(shapes)}")
        headers = {name: _array_header(archive, members[name], name, shape) for name, shape in shapes.items()}
        config, card = split_card(config)
        net = build(network_class, config)
        for l, (W, b) in enumerate(net.params):
            for name, out in ((f"W{l}", W), (f"b{l}", b)):
                _read_into(out, archive, members[name], name, headers[name], l)
    net.card = card
    return net


def split_card(config):
    """Checked fields -> ``(the network's constructor arguments, its ModelCard or None)``."""
    card = {name: value for name, value in config.items() if FIELDS[name].card}
    network = {name: value for name, value in config.items() if not FIELDS[name].card}
    return network, ModelCard.from_fields(card)


def build(network_class, config):
    """A ``network_class`` from checked constructor arguments; its weights are still to be read."""
    try:
        return network_class.from_config(config)
    except (TypeError, ValueError) as error:
        raise ValueError(f"the model's config is invalid: {error}") from None


def _check_end_record(stream):
    """Read the zip's end record (the last bytes) and refuse an archive that lists more
    members or a larger directory than a model has, before ``zipfile`` reads the directory."""
    with _reading("the file"):
        size = stream.seek(0, io.SEEK_END)
        tail_size = min(size, END_RECORD.size + 0xFFFF + ZIP64_LOCATOR_BYTES)
        stream.seek(size - tail_size)
        tail = stream.read(tail_size)
    at = len(tail) - END_RECORD.size
    if not (at >= 0 and tail.startswith(END_SIGNATURE, at) and tail.endswith(b"\0\0")):
        at = tail.rfind(END_SIGNATURE)  # the record is followed by a comment
    if at < 0 or len(tail) - at < END_RECORD.size:
        raise ValueError(f"{NOT_A_MODEL} (.npz) file: it is not a zip archive")
    if at >= ZIP64_LOCATOR_BYTES and tail.startswith(ZIP64_LOCATOR, at - ZIP64_LOCATOR_BYTES):
        raise ValueError(f"{NOT_A_MODEL}: a zip64 archive (for members of over 4 GB or 65,535 members)")
    entries, directory_bytes = END_RECORD.unpack_from(tail, at)[4:6]
    if entries > MAX_MEMBERS:
        raise ValueError(f"{NOT_A_MODEL}: the archive lists {entries:,} members; a model has at most {MAX_MEMBERS}")
    if directory_bytes > MAX_DIRECTORY_BYTES:
        raise ValueError(f"{NOT_A_MODEL}: the archive's directory takes {directory_bytes:,} bytes; "
                         f"at most {MAX_DIRECTORY_BYTES:,}")


def _members(archive):
    """Array name -> ZipInfo, refusing duplicates, foreign names, encryption and odd compression."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ValueError(f"{NOT_A_MODEL}: the archive lists {len(infos):,} members; a model has at most {MAX_MEMBERS}")
    members = {}
    for info in infos:
        name = info.filename.removesuffix(".npy")
        if not info.filename.endswith(".npy") or name in members:
            problem = "twice" if name in members else "which is not an .npy array"
            raise ValueError(f"{NOT_A_MODEL}: the archive holds {_short(info.filename)}, {problem}")
        if info.flag_bits & 0x1:
            raise ValueError(f"{NOT_A_MODEL}: member {info.filename} is encrypted")
        if info.compress_type not in COMPRESSIONS:
            raise ValueError(f"{NOT_A_MODEL}: member {info.filename} uses compression method "
                             f"{info.compress_type}; only {' or '.join(COMPRESSIONS.values())} are read")
        members[name] = info
    return members


def _config(archive, members):
    """The config's fields, checked against ``FIELDS``: the JSON is read only once its
    header says it is a short text."""
    if "config" not in members:
        raise ValueError(f"{NOT_A_MODEL}: the file has no 'config' entry")
    info = members["config"]
    with _reading("config"), archive.open(info) as stream:
        dtype, shape, fortran_order, offset = _npy_header(stream, "config")
        if dtype.hasobject or dtype.kind != "U" or shape != ():
            raise ValueError(f"{NOT_A_MODEL}: its config is not a text string")
        n_chars = dtype.itemsize // 4
        if n_chars > MAX_CONFIG_CHARS:
            raise ValueError(f"the model's config is too long: {n_chars:,} characters; at most {MAX_CONFIG_CHARS:,}")
        _check_size_matches(info, offset + dtype.itemsize, "config")
        data = _read_exactly(stream, dtype.itemsize, "config")
    encoding = "utf-32-be" if dtype.str.startswith(">") else "utf-32-le"
    try:
        json_text = data.decode(encoding).rstrip("\0")
    except UnicodeDecodeError:
        raise ValueError(f"{NOT_A_MODEL}: its config is not valid text") from None
    try:
        header = json.loads(json_text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("the model's config is nested too deeply to be a model's config") from None
    except ValueError as error:
        raise ValueError(f"{NOT_A_MODEL}: its config is not valid JSON ({error})") from None
    return check_header(header)


def check_header(header):
    """A model's header (a dict: the format tag, the version and the ``FIELDS``) -> its checked
    fields; read from the ``.npz``'s config, or from an exported JSON model."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{NOT_A_MODEL}: the config has no NN Playground format tag")
    version = header.get("version")
    if not _whole_number(version) or version != VERSION:
        raise ValueError(f"unsupported model version {_short(version)}; this engine reads version {VERSION}")
    return _fields({name: value for name, value in header.items() if name not in ("format", "version")})


def _fields(header):
    unknown = sorted(set(header) - set(FIELDS))
    if unknown:
        raise ValueError(f"the model's config is invalid: unknown fields {_short(unknown)}; "
                         f"known: {', '.join(FIELDS)}")
    config = {}
    for name, field in FIELDS.items():
        if name not in header:
            if field.required:
                raise ValueError(f"the model's config is invalid: it has no {name!r}")
            continue
        try:
            config[name] = field.check(name, header[name], config)
        except ValueError as error:
            raise ValueError(f"the model's config is invalid: {error}") from None
    return config


def _array_header(archive, info, name, shape):
    """Check member ``name``'s declared size, dtype and shape against ``shape``; read no data."""
    with _reading(name), archive.open(info) as stream:
        dtype, found, fortran_order, offset = _npy_header(stream, name)
    layer, kind = name[1:], "weights" if name.startswith("W") else "biases"
    if dtype.hasobject:
        raise ValueError(f"{NOT_A_MODEL}: {name} holds Python objects (they would need pickle)")
    if found != shape:
        raise ValueError(f"layer {layer}: {kind} {name} {found} do not fit the config's sizes "
                         f"(expected {shape})")
    if dtype.kind != "f" or dtype.newbyteorder("=") not in FLOATS:
        raise ValueError(f"layer {layer}: {kind} {name} must be floating point, float64 or float32; got {dtype}")
    _check_size_matches(info, offset + dtype.itemsize * prod(shape), name)
    return dtype, shape, fortran_order


def _read_into(out, archive, info, name, header, layer):
    """Member ``name``'s data into the float64 array ``out``, read in chunks of exactly the
    announced size: straight into ``out`` when the file holds it in the same layout, else
    through one array of the file's dtype."""
    dtype, shape, fortran_order = header
    same_layout = dtype == out.dtype and not fortran_order and out.flags.c_contiguous
    values = out.reshape(-1) if same_layout else np.empty(prod(shape), dtype=dtype)
    raw = values.view(np.uint8)
    with _reading(name), archive.open(info) as stream:
        _npy_header(stream, name)
        for start in range(0, raw.size, READ_CHUNK):
            chunk = _read_exactly(stream, min(READ_CHUNK, raw.size - start), name)
            raw[start:start + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        stream.read(1)  # zipfile checks the CRC on reaching the member's end
    if not np.isfinite(values).all():
        raise ValueError(f"layer {layer}: {name} contains NaN or infinity")
    if not same_layout:
        out[...] = values.reshape(shape[::-1]).T if fortran_order else values.reshape(shape)


def _npy_header(stream, name):
    """``(dtype, shape, fortran_order, data offset)`` of the ``.npy`` member open in ``stream``,
    its header length checked before the header is read."""
    version = npy.read_magic(stream)
    if version not in NPY_HEADER_READERS:
        raise ValueError(f"{NOT_A_MODEL}: {name} is an .npy file of version {version}; this engine reads 1.0 and 2.0")
    length_field = NPY_LENGTH_FIELDS[version]
    length_bytes = _read_exactly(stream, length_field.size, name)
    (length,) = length_field.unpack(length_bytes)
    if length > MAX_NPY_HEADER:
        raise ValueError(f"{NOT_A_MODEL}: {name}'s .npy header takes {length:,} bytes; at most {MAX_NPY_HEADER:,}")
    header = io.BytesIO(length_bytes + _read_exactly(stream, length, name))
    try:
        shape, fortran_order, dtype = NPY_HEADER_READERS[version](header)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as error:
        raise ValueError(f"{NOT_A_MODEL}: {name}'s .npy header is malformed ({error})") from None
    return dtype, shape, fortran_order, npy.MAGIC_LEN + length_field.size + length


def _check_size_matches(info, expected, name):
    if info.file_size != expected:
        raise ValueError(f"{NOT_A_MODEL}: member {name} declares {info.file_size:,} bytes but its "
                         f".npy header announces {expected:,}")


def _read_exactly(stream, n, name):
    data = stream.read(n)
    if len(data) != n:
        raise ValueError(f"{NOT_A_MODEL}: {name} ends early ({len(data):,} of {n:,} bytes)")
    return data


@contextmanager
def _reading(what):
    """Turn the zip reader's own failures (corrupt data, bad CRC, truncation) into ValueErrors."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise ValueError(f"{NOT_A_MODEL} (.npz) file: {what} cannot be read ({error})") from None


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"a key appears twice in {_short(keys)}")
    return dict(pairs)


def _no_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _short(value, most=80):
    """``repr(value)``, cut to ``most`` characters (a hostile file's values can be huge)."""
    shown = repr(value)
    return shown if len(shown) <= most else shown[:most] + "..."
