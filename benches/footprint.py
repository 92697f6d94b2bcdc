"""The memory a group of processes holds, counted so that other programs on
the machine do not change it: every physical page mapped by any of the
processes, counted once (from /proc/PID/pagemap; needs root). It is what PSS
would show if the group ran alone on the machine.

Usage: python3 footprint.py PID...   prints MiB
"""
import struct
import sys

PAGE = 4096


def pages(pid):
    frames = set()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            start, end = (int(x, 16) for x in line.split()[0].split("-"))
            if "[vsyscall]" in line:
                continue
            pagemap.seek(start // PAGE * 8)
            data = pagemap.read((end - start) // PAGE * 8)
            for (entry,) in struct.iter_unpack("<Q", data):
                if entry >> 63 & 1:  # present in RAM
                    frames.add(entry & ((1 << 55) - 1))
    return frames


def main():
    frames = set()
    for pid in sys.argv[1:]:
        try:
            frames |= pages(pid)
        except (FileNotFoundError, ProcessLookupError):
            pass
    if frames == {0}:
        sys.exit("page frame numbers are hidden: run as root")
    print(len(frames) * PAGE // 2**20)


if __name__ == "__main__":
    main()
