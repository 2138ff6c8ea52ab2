"""Near-duplicate detection (judging/services/similarity.pair_search) on N generated entries,
each size in its own process: wall and CPU time, peak memory, candidate pairs against the
n(n − 1)/2 possible, pairs found, and how many of the planted near-copies were found.

    .venv/bin/python bench/similarity_bench.py 10000 30000 100000
    .venv/bin/python bench/similarity_bench.py --method exact 2000   # every pair, to compare

The texts are made here, not read from the bench database: bench/generate.py draws every
word uniformly from one 300-word list, so any two of its entries pass the 0.45 threshold and
a near-duplicate search has nothing to find. Here each entry reads like the portal's:
the wizard's fields and a file's extracted text (≈ 850 words in all, log-normal, up to 5,000),
Vietnamese syllables with their diacritics (NFC), administrative vocabulary first and a long
Zipf tail of words, a topic per entry, and for half of the entries the contest's form
(headings, declaration) around the text. 1 % of the entries are near-copies of an earlier
one: edited (5–15 % of the words replaced), padded (own text added after it), reordered
(sentences shuffled, 5 % edited) or excerpted (60 % of it inside own text).

Peak memory is the process's peak resident set (VmHWM) during the search, reset after the
texts were made; the texts themselves are in it (`rss_texts_mib`), as they are in a scan.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
from common import django_setup, machine, peak_rss_mib, rss_mib
from generate import FAMILY, GIVEN, MIDDLE, WORDS

# Vietnamese syllables from the portal's own texts, besides those of bench/generate.py.
MORE_SYLLABLES = """
bay biết biểu buộc bài bàn bày báo bây bên bìa băm bưu bước bạn bảng bấm bất bật bắt bằng bị
bỏ bố bổ ca chuyển chuẩn chép chênh chí chót chú chúng chưa chấm chấp chậm chắc chắn chẵn
chặn chỉ chỉnh chị chọn chồng chờ chủ cuối cuộc cài cáo còn cùng căn cũ cũng cư cạnh cả cảnh
cấp cấu cần cầu cập cặp cố cổng cộng cột cỡ cụ cứ cứu da diễn diện duyệt dành dòng dõi dùng
dưới dạng dấu dẫn dở dụ dừng dữ dự em giá giám giáo giúp giả giảm giấy giống giới giờ giữ giữa
gì góc gõ gấp gắn gặp gồm gỡ gửi hai hay hiển hoa hoàn hoạch hoặc huấn hà hài hãy hình hòa hơn
hạn hạng hạnh hằng hết hệ họ hỏng hồ hội hộp khai khi khoản khu khuyến khách khích khó khóa
khăn khả khẩu khổ khớp kim kiếm kiểm kiện kèm kê kính ký kế kết kể kỳ la lan linh liên liệu
long loại là làm lát lâu lê lên lòng lúc lăng lượt lạc lại lấy lần lập lặp lề lệ lệch lịch
lọc lỗi lộ lớn lời lục lực ma mai milimét minh muốn muộn mà máy mã mép mất mẫu mật mềm mọi mốc
mối mỗi một mới mời mở mục mức nay nghiên nghĩa nghề nghệ nghị nguyên nguồn ngày ngôn ngưỡng
ngắn ngữ nha nhiều nhiệm nháp nhì nhóm như nhưng nhất nhập nhắc nhằm nhận nào này nêu nơi nếu
nộp nữa ong phiên phiếu phát phân phép phê phí phía phím phôi phù phúc phút phạm phải phản phần
phổ phụ phục qua quy quyền quá quân quét quên quốc ra riêng ràng rác rõ rút rồi rộng sai sao
so soát soạn sàn sáng sánh sát sâu sắp sẵn sẽ số sổ sở sử sửa sự ta tai tam tay the thiết
thiếu thiểu thiện thoại thu thuyết thuận thuộc thái tháng thân thêm thì thúc thư thường
thưởng thấp thấy thẩm thắng thế thể thống thời thứ thức thử thực tiên tiêu tiến tiếng tiếp
tiết tiền tiểu to toàn toạ tranh tri triển triệu trong truyền trách trái trân trình trí trích
trò trùng trú trăm trước trường trưởng trạng trả trấn trần trắng tu tuy tính tóm tô tùy tăng
tư tương tưởng tạo tải tắc tắt tế tệp tỉ tốc tối tốt tổng tờ tục tử tự tựu va ve vi vui vào
văn vượt vấn vẫn vận về vị vụ xem xin xong xuất xã xét xếp xử ông ý điểm điện đoàn đâu đây
đính đó đôi đúng đưa được đạo đạt đầu đầy đặt đẹp để đều địa định đọc đối đổi đồ đồng độ đột
đủ đủa đức ưu ứng
""".split()

FORM_HEAD = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Bản mô tả ý tưởng, "
    "giải pháp cải cách hành chính. Kính gửi: Ban Tổ chức Cuộc thi tìm kiếm ý tưởng, giải pháp "
    "cải cách hành chính tỉnh Lạng Sơn. Tên ý tưởng, giải pháp:"
)
FORM_HEADINGS = [
    "1. Sự cần thiết, thực trạng:",
    "2. Nội dung ý tưởng, giải pháp:",
    "3. Hiệu quả mang lại về kinh tế, xã hội:",
    "4. Khả năng áp dụng, nhân rộng:",
]
FORM_TAIL = (
    "Tôi xin cam đoan ý tưởng, giải pháp trên là của tôi, không sao chép, vi phạm bản quyền "
    "và chịu trách nhiệm trước Ban Tổ chức về nội dung đã nêu. Người viết (ký, ghi rõ họ tên)."
)


class TextMaker:
    """Entries' texts: administrative Vietnamese, a Zipf vocabulary, one topic per entry."""

    def __init__(self, seed: int = 2026, lexicon: int = 20000, topics: int = 2000):
        rng = np.random.default_rng(seed)
        names = [w.lower() for w in FAMILY + MIDDLE + GIVEN]
        syllables = list(dict.fromkeys(w.lower() for w in WORDS + names + MORE_SYLLABLES))
        syllables = np.array(syllables, dtype=object)[rng.permutation(len(syllables))]
        cum = np.cumsum(1 / np.arange(1, len(syllables) + 1))
        sizes = rng.choice([1, 2, 3], size=lexicon * 2, p=[0.25, 0.65, 0.10])
        picks = syllables[np.searchsorted(cum / cum[-1], rng.random(sizes.sum()))]
        ends = np.cumsum(sizes)
        made = [" ".join(picks[e - k : e]) for e, k in zip(ends, sizes, strict=True)]
        domain = [w.lower() for w in WORDS]
        words = list(dict.fromkeys(domain + made))[: len(dict.fromkeys(domain)) + lexicon]
        self.lexicon = np.array(words, dtype=object)
        weights = np.cumsum(1 / np.arange(1, len(words) + 1))
        self.cum = weights / weights[-1]
        self.topics = rng.integers(300, len(words), size=(topics, 25))
        self.rng = rng

    def syllables(self, n: int) -> list[str]:
        """n syllables of running text: Zipf-drawn words, 8 % from the entry's topic."""
        rng = self.rng
        index = np.minimum(np.searchsorted(self.cum, rng.random(n)), len(self.lexicon) - 1)
        topic = self.topics[rng.integers(len(self.topics))]
        on_topic = rng.random(n) < 0.08
        index[on_topic] = topic[rng.integers(len(topic), size=int(on_topic.sum()))]
        return " ".join(self.lexicon[index]).split()[:n]

    def sentences(self, syllables: list[str]) -> str:
        """Full stops every 10–24 syllables."""
        words = list(syllables)
        for end in np.cumsum(self.rng.integers(10, 25, size=len(words) // 10 + 1)):
            if end > len(words):
                break
            words[end - 1] += "."
        return " ".join(words)

    def entry(self) -> str:
        rng = self.rng
        sizes = [int(rng.integers(8, 17))] + [int(rng.integers(a, b)) for a, b in FIELD_WORDS]
        sizes.append(int(np.clip(rng.lognormal(np.log(550), 0.6), 100, 4500)))  # the file
        text = self.syllables(sum(sizes))
        parts, at = [], 0
        for size in sizes:
            parts.append(text[at : at + size])
            at += size
        title, *fields, body = parts
        if rng.random() < 0.5:  # a file made from the contest's form
            quarter = max(1, len(body) // 4)
            sections = [
                f"{heading} {self.sentences(body[k * quarter : (k + 1) * quarter])}"
                for k, heading in enumerate(FORM_HEADINGS)
            ]
            file_text = " ".join([FORM_HEAD, " ".join(title), *sections, FORM_TAIL])
        else:
            file_text = self.sentences(body)
        return "\n".join([" ".join(title), *map(self.sentences, fields), file_text])

    def near_copy(self, text: str) -> tuple[str, str]:
        rng = self.rng
        kind = ["edited", "padded", "reordered", "excerpted"][int(rng.integers(4))]
        if kind == "padded":
            extra = max(20, int(len(text.split()) * rng.uniform(0.3, 1.0)))
            return f"{text}\n{self.sentences(self.syllables(extra))}", kind
        sentences = text.split(". ")
        if kind == "excerpted":
            keep = max(1, int(len(sentences) * 0.6))
            at = int(rng.integers(0, len(sentences) - keep + 1))
            own = self.sentences(self.syllables(max(20, int(len(text.split()) * 0.4))))
            return f"{own} {'. '.join(sentences[at : at + keep])}", kind
        if kind == "reordered":
            sentences = [sentences[i] for i in rng.permutation(len(sentences))]
        words = ". ".join(sentences).split(" ")
        share = 0.05 if kind == "reordered" else rng.uniform(0.05, 0.15)
        replaced = int(len(words) * share)
        for at, word in zip(
            rng.integers(0, len(words), size=replaced), self.syllables(replaced), strict=True
        ):
            words[at] = word
        return " ".join(words), kind


FIELD_WORDS = [(30, 60), (30, 80), (40, 120), (20, 60), (10, 40)]  # as bench/generate.py


def corpus(n: int, *, seed: int = 2026, copies: float = 0.01):
    """n entries' texts (NFC, lower case, as `entry_text` makes them) and the planted pairs
    (original, copy, kind), the original always earlier and never itself a copy."""
    maker = TextMaker(seed)
    texts, planted, originals = [], [], []
    for i in range(n):
        if originals and maker.rng.random() < copies:
            j = originals[int(maker.rng.integers(len(originals)))]
            text, kind = maker.near_copy(texts[j])
            planted.append((j, i, kind))
        else:
            text = maker.entry()
            originals.append(i)
        texts.append(unicodedata.normalize("NFC", text).lower())
    return texts, planted


def reset_peak_rss() -> None:
    """Start VmHWM again from the current resident set (Linux: clear_refs 5)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def child(n: int, method: str, threshold: float) -> dict:
    django_setup()
    from judging.services.similarity import pair_search

    started = time.perf_counter()
    texts, planted = corpus(n)
    made = time.perf_counter() - started
    rss_texts = rss_mib(os.getpid())
    reset_peak_rss()
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = pair_search(texts, threshold=threshold, method=method)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found = {(i, j) for i, j, _s in result.pairs}
    missed = [p for p in planted if (p[0], p[1]) not in found]
    copies = {(a, b) for a, b, _k in planted}
    originals = {b: a for a, b, _k in planted}
    # Found pairs that were not planted: two copies of one original, or texts that only
    # share vocabulary (exact mode), with their scores.
    other = [(i, j, s) for i, j, s in result.pairs if (i, j) not in copies]
    sibling = [p for p in other if originals.get(p[0], -1) == originals.get(p[1], -2)]
    return {
        "entries": n,
        "method": result.method,
        "threshold": threshold,
        "seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "pairs": len(result.pairs),
        "possible_pairs": result.possible,
        "band_candidates": result.band_candidates,
        "scored_pairs": result.scored,
        "planted": len(planted),
        "planted_found": len(planted) - len(missed),
        "missed": [list(p) for p in missed[:10]],
        "copies_of_one_original": len(sibling),
        "other_scores": [round(x[2], 3) for x in other if x not in sibling][:20],
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "rss_texts_mib": round(rss_texts, 1),
        "text_mib": round(sum(len(t.encode()) for t in texts) / 2**20, 1),
        "words_per_entry": round(sum(len(t.split()) for t in texts) / max(1, n)),
        "generate_seconds": round(made, 1),
        "load_at_start": round(load, 2),
    }


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10000, 30000, 100000])
    parser.add_argument("--method", default="auto", choices=["auto", "exact", "lsh"])
    parser.add_argument("--threshold", type=float, default=0.45)
    parser.add_argument("--timeout", type=int, default=1800, help="seconds for each size")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.sizes[0], args.method, args.threshold)))
        return {}
    out = {"machine": machine(), "runs": []}
    for n in args.sizes:
        command = [sys.executable, __file__, "--child", "--method", args.method]
        command += ["--threshold", str(args.threshold), str(n)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=args.timeout, check=True
            )
        except subprocess.TimeoutExpired:
            out["runs"].append({"entries": n, "seconds": None, "note": f"over {args.timeout} s"})
            print(out["runs"][-1], file=sys.stderr, flush=True)
            break
        except subprocess.CalledProcessError as failed:
            print(failed.stderr[-3000:], file=sys.stderr)
            raise
        out["runs"].append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(out["runs"][-1], file=sys.stderr, flush=True)
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
