"""Demo entries for the demo contest, taken through the real services by the demo users, so
every role finds work on its pages and the event log is the one a real run would write.

Each entry is known by a fixed tracking code (CC26-DEMO-0001...), the one draft by its
owner and title: an entry that exists is skipped, so loading twice changes nothing."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contest.enums import ScoringRound
from contest.models import Contest, Unit
from contest.services import deadline_is_open

# Unit codes of the demo (contest.seed builds them from seed_data).
CAO_LOC = "huyen-ubnd-huyen-cao-loc"
DONG_DANG = "xa-06184"
SO_NOI_VU = "so-so-noi-vu"
SO_TU_PHAP = "so-so-tu-phap"
TINH_DOAN = "tc-tinh-doan-lang-son"

# The unit's staff and head among contest.seed.DEMO_USERS.
STAFF = {
    CAO_LOC: "canbo.caoloc@demo.cchc.vn",
    DONG_DANG: "canbo.dongdang@demo.cchc.vn",
    SO_NOI_VU: "canbo.sonoivu@demo.cchc.vn",
}
HEADS = {
    CAO_LOC: "thutruong.caoloc@demo.cchc.vn",
    DONG_DANG: "thutruong.dongdang@demo.cchc.vn",
    SO_NOI_VU: "thutruong.sonoivu@demo.cchc.vn",
}
SECRETARIAT = "thuky@demo.cchc.vn"
JUDGES = ("giamkhao1@demo.cchc.vn", "giamkhao2@demo.cchc.vn")
ENTRANT = "tacgia@demo.cchc.vn"

# The demo entrant's profile, so the wizard pre-fills the first author.
ENTRANT_PROFILE = {
    "phone": "0915 234 671",
    "address": "Khối 3, thị trấn Đồng Đăng, huyện Cao Lộc, tỉnh Lạng Sơn",
    "workplace": "Trường Tiểu học thị trấn Đồng Đăng",
    "position": "Giáo viên",
}

# Further entrants who own demo entries; they cannot log in (unusable password).
OTHER_ENTRANTS = {
    "hoang.thu@demo.cchc.vn": "Hoàng Thị Thu",
    "nong.tuan@demo.cchc.vn": "Nông Văn Tuấn",
    "be.lan@demo.cchc.vn": "Bế Thị Lan",
    "vy.cuong@demo.cchc.vn": "Vy Mạnh Cường",
    "ha.ngoc@demo.cchc.vn": "Hà Bảo Ngọc",
    "lam.quang@demo.cchc.vn": "Lâm Văn Quang",
    "dam.huong@demo.cchc.vn": "Đàm Thị Hương",
}

# Steps an entry goes through after submission, in order.
SCREEN, APPRAISE, REJECT, SELECT, CERTIFY, PASS_UP = (
    "screen",
    "appraise",
    "reject",
    "select",
    "certify",
    "pass_up",
)
# Then, at the district (after a pass up): the same steps again.
D_SCREEN, D_APPRAISE, D_SELECT, D_CERTIFY = "d_screen", "d_appraise", "d_select", "d_certify"
# Then forwarding in the unit's batch, and the secretariat's acceptance.
FORWARD, ACCEPT = "forward", "accept"


@dataclass(frozen=True)
class Author:
    full_name: str
    job_title: str
    workplace: str
    address: str
    phone: str = ""
    email: str = ""
    is_representative: bool = False


@dataclass(frozen=True)
class DemoEntry:
    number: int  # the tracking code's last part; 0 for the draft
    unit: str
    category: str
    owner: str | None  # e-mail of the owning account; None: a paper entry
    authors: tuple[Author, ...]
    title: str
    summary: str
    problem: str
    solution: str
    expected_effect: str
    implementation: str = ""
    replication: str = ""
    steps: tuple[str, ...] = ()
    reject_reason: str = ""
    certification: str = ""
    competed_before: str = ""  # the earlier contest's name, when it competed before
    revision: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return len(self.authors) > 1


_HOA = Author(
    "Nguyễn Thị Hoa",
    "Giáo viên",
    "Trường Tiểu học thị trấn Đồng Đăng",
    ENTRANT_PROFILE["address"],
    ENTRANT_PROFILE["phone"],
    ENTRANT,
    True,
)

CERTIFY_TEXT = (
    "Ý tưởng, giải pháp có tính mới và thiết thực; đã được thử nghiệm tại đơn vị, có hiệu quả "
    "rõ rệt và có khả năng áp dụng, nhân rộng trên địa bàn tỉnh."
)

ENTRIES: tuple[DemoEntry, ...] = (
    DemoEntry(
        number=1,
        unit=DONG_DANG,
        category="a",
        owner=ENTRANT,
        authors=(_HOA,),
        title="Sổ tay điện tử hướng dẫn thủ tục hành chính cho hộ kinh doanh cửa khẩu",
        summary=(
            "Xây dựng sổ tay điện tử (trang web và mã QR dán tại chợ, bến xe) hướng dẫn từng "
            "bước các thủ tục hộ kinh doanh thường gặp tại thị trấn Đồng Đăng."
        ),
        problem=(
            "Hộ kinh doanh tại khu vực cửa khẩu thường phải đi lại nhiều lần vì hồ sơ thiếu "
            "hoặc sai mẫu; cán bộ một cửa mất nhiều thời gian giải thích cùng một nội dung."
        ),
        solution=(
            "Tổng hợp 15 thủ tục thường gặp thành các trang ngắn, có ảnh chụp mẫu tờ khai đã "
            "điền, danh mục giấy tờ và lệ phí; gắn mã QR tại các điểm đông người."
        ),
        expected_effect=(
            "Giảm số lần đi lại, giảm hồ sơ phải bổ sung; nâng chỉ số hài lòng SIPAS của thị trấn."
        ),
        implementation="Đoàn thanh niên thị trấn cập nhật nội dung hằng quý.",
        replication="Áp dụng được cho các xã, thị trấn có chợ biên giới.",
    ),
    DemoEntry(
        number=2,
        unit=DONG_DANG,
        category="h",
        owner="hoang.thu@demo.cchc.vn",
        authors=(
            Author(
                "Hoàng Thị Thu",
                "Công chức Văn phòng - Thống kê",
                "UBND thị trấn Đồng Đăng",
                "Khối Ga, thị trấn Đồng Đăng, huyện Cao Lộc",
                "0984 117 302",
                "hoang.thu@demo.cchc.vn",
                True,
            ),
            Author(
                "Lộc Văn Bình",
                "Công chức Tư pháp - Hộ tịch",
                "UBND thị trấn Đồng Đăng",
                "Khối 5, thị trấn Đồng Đăng, huyện Cao Lộc",
            ),
        ),
        title="Trợ lý số “Hỏi nhanh một cửa” trả lời người dân qua Zalo",
        summary=(
            "Trang Zalo chính thức của bộ phận một cửa, có kịch bản trả lời tự động cho 40 câu "
            "hỏi thường gặp và chuyển cho công chức khi cần."
        ),
        problem=(
            "Người dân gọi điện hỏi thủ tục trong giờ hành chính, đường dây thường bận; nhiều "
            "câu hỏi lặp lại."
        ),
        solution=(
            "Dùng tính năng tin nhắn tự động của Zalo OA, kịch bản do công chức một cửa soạn, "
            "kèm đường dẫn đến Cổng dịch vụ công cho từng thủ tục."
        ),
        expected_effect="Trả lời ngay 24/7; giảm khoảng 60% cuộc gọi hỏi thủ tục.",
        implementation="Thử nghiệm 3 tháng tại thị trấn Đồng Đăng, đã có 1.200 lượt hỏi.",
        replication="Mọi UBND cấp xã có thể dùng chung kịch bản của tỉnh.",
        steps=(
            SCREEN,
            APPRAISE,
            SELECT,
            CERTIFY,
            PASS_UP,
            D_SCREEN,
            D_APPRAISE,
            D_SELECT,
            D_CERTIFY,
            FORWARD,
            ACCEPT,
        ),
    ),
    DemoEntry(
        number=3,
        unit=DONG_DANG,
        category="c",
        owner="nong.tuan@demo.cchc.vn",
        authors=(
            Author(
                "Nông Văn Tuấn",
                "Trưởng khối",
                "Khối Tân Thanh, thị trấn Đồng Đăng",
                "Khối Tân Thanh, thị trấn Đồng Đăng, huyện Cao Lộc",
                "0912 604 455",
                "nong.tuan@demo.cchc.vn",
                True,
            ),
        ),
        title="Tổ liên gia tự quản hỗ trợ người cao tuổi nộp hồ sơ trực tuyến",
        summary=(
            "Mỗi tổ liên gia có một thanh niên được tập huấn, giúp người cao tuổi tạo tài khoản "
            "định danh điện tử và nộp hồ sơ trực tuyến tại nhà."
        ),
        problem="Người cao tuổi ngại đến trụ sở, chưa biết dùng dịch vụ công trực tuyến.",
        solution=(
            "Tập huấn 2 buổi cho thanh niên trong khối; lập danh sách hộ cần hỗ trợ; ghi nhận "
            "số hồ sơ đã hỗ trợ vào sổ theo dõi."
        ),
        expected_effect="Tăng tỷ lệ hồ sơ trực tuyến toàn trình của thị trấn.",
        steps=(SCREEN, APPRAISE, SELECT, CERTIFY, PASS_UP),
    ),
    DemoEntry(
        number=4,
        unit=DONG_DANG,
        category="h",
        owner="be.lan@demo.cchc.vn",
        authors=(
            Author(
                "Bế Thị Lan",
                "Nhân viên",
                "Bưu điện văn hóa xã Gia Cát",
                "Thôn Nà Mè, xã Gia Cát, huyện Cao Lộc",
                "0968 330 219",
                "be.lan@demo.cchc.vn",
                True,
            ),
        ),
        title="Tổ công nghệ số cộng đồng hướng dẫn người dân cài ứng dụng VNeID",
        summary="Thành lập tổ công nghệ số cộng đồng tại các khối, thôn.",
        problem="Nhiều người dân chưa kích hoạt tài khoản định danh điện tử mức 2.",
        solution="Tổ công nghệ số đến từng hộ hướng dẫn cài đặt và kích hoạt.",
        expected_effect="Tăng tỷ lệ người dân có tài khoản định danh điện tử.",
        steps=(SCREEN, REJECT),
        reject_reason=(
            "Mô hình “Tổ công nghệ số cộng đồng” đã được triển khai tại thị trấn từ năm 2023 "
            "theo kế hoạch của tỉnh; bài dự thi chưa nêu được điểm mới so với mô hình này."
        ),
    ),
    DemoEntry(
        number=5,
        unit=CAO_LOC,
        category="d",
        owner="vy.cuong@demo.cchc.vn",
        authors=(
            Author(
                "Vy Mạnh Cường",
                "Chuyên viên Phòng Nội vụ",
                "UBND huyện Cao Lộc",
                "Khối 7, thị trấn Cao Lộc, huyện Cao Lộc",
                "0977 218 564",
                "vy.cuong@demo.cchc.vn",
                True,
            ),
        ),
        title="Bản đồ năng lực công chức cấp xã phục vụ luân chuyển, bồi dưỡng",
        summary=(
            "Bảng tổng hợp năng lực (chuyên môn, tin học, tiếng dân tộc, kinh nghiệm) của công "
            "chức cấp xã, cập nhật mỗi năm, dùng khi luân chuyển và lập kế hoạch bồi dưỡng."
        ),
        problem="Việc bố trí, bồi dưỡng công chức cấp xã còn dựa vào hồ sơ giấy, khó so sánh.",
        solution=(
            "Mẫu phiếu tự đánh giá và đánh giá của lãnh đạo; bảng tổng hợp trên phần mềm bảng "
            "tính dùng chung; báo cáo tự động theo từng vị trí việc làm."
        ),
        expected_effect="Bố trí đúng người, đúng việc; kế hoạch bồi dưỡng sát nhu cầu.",
        implementation="Phòng Nội vụ huyện chủ trì, các xã cập nhật trước 31/12 hằng năm.",
        replication="Áp dụng được cho mọi huyện trong tỉnh.",
        steps=(SCREEN, APPRAISE, SELECT, CERTIFY, FORWARD, ACCEPT),
    ),
    DemoEntry(
        number=6,
        unit=CAO_LOC,
        category="e",
        owner="ha.ngoc@demo.cchc.vn",
        authors=(
            Author(
                "Hà Bảo Ngọc",
                "Kế toán",
                "Trung tâm Văn hóa, Thể thao và Truyền thông huyện Cao Lộc",
                "Khối 2, thị trấn Cao Lộc, huyện Cao Lộc",
                "0946 552 781",
                "ha.ngoc@demo.cchc.vn",
                True,
            ),
            Author(
                "Triệu Thị Hằng",
                "Kế toán",
                "Phòng Tài chính - Kế hoạch huyện Cao Lộc",
                "Khối 1, thị trấn Cao Lộc, huyện Cao Lộc",
            ),
            Author(
                "Hoàng Văn Đức",
                "Chuyên viên",
                "Kho bạc Nhà nước Cao Lộc",
                "Thôn Pò Nghiều, xã Gia Cát, huyện Cao Lộc",
            ),
        ),
        title="Thanh toán không dùng tiền mặt các khoản phí, lệ phí tại bộ phận một cửa cấp xã",
        summary=(
            "Mỗi quầy một cửa cấp xã có mã QR thanh toán riêng cho từng khoản phí, lệ phí, đối "
            "soát tự động với Kho bạc cuối ngày."
        ),
        problem="Thu phí, lệ phí bằng tiền mặt tốn thời gian, dễ sai sót khi nộp Kho bạc.",
        solution=(
            "Mở tài khoản chuyên thu; in mã QR động theo từng hồ sơ; biên lai điện tử gửi qua "
            "tin nhắn cho người nộp."
        ),
        expected_effect="Rút ngắn thời gian thu nộp; minh bạch; giảm rủi ro giữ tiền mặt.",
        steps=(SCREEN, APPRAISE, SELECT, CERTIFY, FORWARD),
    ),
    DemoEntry(
        number=7,
        unit=CAO_LOC,
        category="đ",
        owner="lam.quang@demo.cchc.vn",
        authors=(
            Author(
                "Lâm Văn Quang",
                "Phó Trưởng phòng Nội vụ",
                "UBND huyện Cao Lộc",
                "Khối 4, thị trấn Cao Lộc, huyện Cao Lộc",
                "0203 3861 245",
                "lam.quang@demo.cchc.vn",
                True,
            ),
        ),
        title="Sắp xếp lại bộ phận một cửa cấp xã theo mô hình “một cửa liên thông vùng”",
        summary=(
            "Ba xã liền kề dùng chung một điểm tiếp nhận hồ sơ đặt tại xã trung tâm vào các ngày "
            "cố định trong tuần, hồ sơ được chuyển về xã nơi giải quyết."
        ),
        problem="Bộ phận một cửa ở các xã nhỏ ít hồ sơ nhưng vẫn phải bố trí người trực cả ngày.",
        solution=(
            "Lịch tiếp nhận luân phiên, sổ giao nhận hồ sơ liên xã, chuyển hồ sơ qua bưu điện."
        ),
        expected_effect="Tiết kiệm nhân lực; người dân được phục vụ bởi công chức chuyên sâu hơn.",
        steps=(SCREEN, APPRAISE),
    ),
    DemoEntry(
        number=8,
        unit=CAO_LOC,
        category="g",
        owner=None,  # received on paper, registered by the unit's staff
        authors=(
            Author(
                "Mã Văn Thành",
                "Trưởng thôn",
                "Thôn Khòn Khuyên, xã Công Sơn",
                "Thôn Khòn Khuyên, xã Công Sơn, huyện Cao Lộc",
                "0386 904 127",
            ),
        ),
        title="Bảng tin thủ tục hành chính song ngữ Kinh - Nùng tại nhà văn hóa thôn",
        summary=(
            "Bảng tin tại nhà văn hóa thôn giới thiệu các thủ tục thường gặp bằng tiếng Việt và "
            "tiếng Nùng, do trưởng thôn cập nhật."
        ),
        problem="Đồng bào vùng cao khó đọc hiểu văn bản hướng dẫn thủ tục.",
        solution="Bảng tin song ngữ, có hình minh họa; đọc lại trong các buổi họp thôn.",
        expected_effect="Người dân hiểu đúng, chuẩn bị đủ hồ sơ ngay từ lần đầu.",
        steps=(SCREEN, APPRAISE, SELECT),
        extra={"paper_reference": "Đơn dự thi gửi trực tiếp ngày 03/11"},
    ),
    DemoEntry(
        number=9,
        unit=CAO_LOC,
        category="b",
        owner="dam.huong@demo.cchc.vn",
        authors=(
            Author(
                "Đàm Thị Hương",
                "Công chức Tư pháp - Hộ tịch",
                "UBND xã Mẫu Sơn",
                "Thôn Khuổi Tẳng, xã Mẫu Sơn, huyện Cao Lộc",
                "0358 771 690",
                "dam.huong@demo.cchc.vn",
                True,
            ),
        ),
        title="Rà soát văn bản quy phạm pháp luật cấp xã bằng bảng kiểm điện tử",
        summary="Bảng kiểm 25 câu hỏi giúp công chức tư pháp tự rà soát dự thảo trước khi trình.",
        problem="Văn bản cấp xã còn sai thẩm quyền, sai thể thức, phải sửa nhiều lần.",
        solution="Bảng kiểm điện tử theo từng loại văn bản, có ví dụ đúng và sai.",
        expected_effect="Giảm văn bản phải sửa đổi; nâng chất lượng văn bản cấp xã.",
        steps=(SCREEN, APPRAISE, SELECT, CERTIFY),
        competed_before="Cuộc thi Sáng kiến ngành Tư pháp tỉnh Lạng Sơn năm 2024",
        revision=(
            "Bổ sung bảng kiểm cho nghị quyết của HĐND cấp xã và phần hướng dẫn sử dụng; "
            "thử nghiệm thêm tại 3 xã."
        ),
    ),
    DemoEntry(
        number=10,
        unit=SO_NOI_VU,
        category="d",
        owner=None,
        authors=(
            Author(
                "Dương Thị Nga",
                "Chuyên viên Phòng Tổ chức, biên chế",
                "Sở Nội vụ",
                "Số 2 Hoàng Văn Thụ, phường Chi Lăng, thành phố Lạng Sơn",
                "0913 285 604",
                "",
                True,
            ),
            Author(
                "Chu Minh Khoa",
                "Chuyên viên Phòng Cải cách hành chính",
                "Sở Nội vụ",
                "Phường Tam Thanh, thành phố Lạng Sơn",
            ),
        ),
        title="Khung năng lực số cho công chức cấp tỉnh và lộ trình tự học trực tuyến",
        summary="Khung 6 nhóm năng lực số và kho bài học ngắn để công chức tự học, tự đánh giá.",
        problem="Kỹ năng số của công chức không đồng đều, bồi dưỡng tập trung tốn kém.",
        solution="Khung năng lực, bài kiểm tra đầu vào, lộ trình học 15 phút mỗi ngày.",
        expected_effect="Nâng kỹ năng số của công chức với chi phí thấp.",
        extra={"paper_reference": "Văn bản gửi qua iOffice số 1285/SNV-CCHC", "via": "ioffice"},
    ),
    DemoEntry(
        number=11,
        unit=SO_NOI_VU,
        category="g",
        owner=ENTRANT,
        authors=(_HOA,),
        title="Phiếu khảo sát mức độ hài lòng bằng mã QR đặt tại từng quầy giao dịch",
        summary=(
            "Mỗi quầy có mã QR riêng; người dân quét để chấm điểm ngay sau khi nhận kết quả; "
            "kết quả tổng hợp theo từng quầy và từng lĩnh vực."
        ),
        problem="Khảo sát giấy ít người trả lời, tổng hợp chậm, không gắn với từng quầy.",
        solution="Biểu mẫu trực tuyến 5 câu hỏi, bảng tổng hợp tự động hằng tuần.",
        expected_effect="Có số liệu hài lòng theo thời gian thực để cải thiện phục vụ.",
        implementation="Thử nghiệm tại Trung tâm Phục vụ hành chính công tỉnh.",
        replication="Áp dụng cho mọi bộ phận một cửa các cấp.",
        steps=(SCREEN, APPRAISE, SELECT, CERTIFY, FORWARD, ACCEPT),
    ),
    DemoEntry(
        number=12,
        unit=SO_TU_PHAP,
        category="b",
        owner="vy.cuong@demo.cchc.vn",
        authors=(
            Author(
                "Vy Mạnh Cường",
                "Chuyên viên Phòng Nội vụ",
                "UBND huyện Cao Lộc",
                "Khối 7, thị trấn Cao Lộc, huyện Cao Lộc",
                "0977 218 564",
                "vy.cuong@demo.cchc.vn",
                True,
            ),
            Author(
                "Lương Thị Yến",
                "Luật sư",
                "Đoàn Luật sư tỉnh Lạng Sơn",
                "Phường Vĩnh Trại, thành phố Lạng Sơn",
            ),
        ),
        title="Lấy ý kiến người dân về dự thảo văn bản qua ứng dụng trên điện thoại",
        summary="Đăng dự thảo nghị quyết, quyết định lên ứng dụng để người dân góp ý, bấm chọn.",
        problem="Việc lấy ý kiến dự thảo văn bản còn hình thức, ít người dân tham gia.",
        solution="Ứng dụng hiển thị tóm tắt dự thảo, câu hỏi lựa chọn và ô góp ý tự do.",
        expected_effect="Tăng số ý kiến góp ý, văn bản sát thực tế hơn.",
    ),
    DemoEntry(
        number=13,
        unit=TINH_DOAN,
        category="h",
        owner="ha.ngoc@demo.cchc.vn",
        authors=(
            Author(
                "Hà Bảo Ngọc",
                "Ủy viên Ban Chấp hành Đoàn",
                "Đoàn Thanh niên huyện Cao Lộc",
                "Khối 2, thị trấn Cao Lộc, huyện Cao Lộc",
                "0946 552 781",
                "ha.ngoc@demo.cchc.vn",
                True,
            ),
        ),
        title="Đội thanh niên tình nguyện “Chủ nhật số” tại Trung tâm Phục vụ hành chính công",
        summary="Đoàn viên trực vào sáng Chủ nhật, hướng dẫn người dân dùng dịch vụ công.",
        problem="Người lao động chỉ có thời gian rảnh vào cuối tuần.",
        solution="Lịch trực luân phiên của các cơ sở Đoàn, có sổ ghi nhận số người được hỗ trợ.",
        expected_effect="Tăng số người dân biết dùng dịch vụ công trực tuyến.",
        competed_before="Cuộc thi Ý tưởng sáng tạo thanh niên tỉnh Lạng Sơn năm 2024",
        revision="Thêm hướng dẫn nộp hồ sơ đất đai trực tuyến và mẫu báo cáo kết quả hằng tháng.",
    ),
)

# The draft the demo entrant left half-way, to resume in the wizard.
DRAFT = DemoEntry(
    number=0,
    unit=DONG_DANG,
    category="c",
    owner=ENTRANT,
    authors=(_HOA,),
    title="Ngày thứ Bảy không hẹn: nhận hồ sơ chứng thực vào sáng thứ Bảy",
    summary="Bộ phận một cửa thị trấn nhận hồ sơ chứng thực sáng thứ Bảy hằng tuần.",
    problem="",
    solution="",
    expected_effect="",
)

# The entry whose code and phone load_demo prints for trying /tra-cuu/.
LOOKUP_EXAMPLE = 2

APPRAISAL_NOTES = (
    "Bài viết đầy đủ, có số liệu thử nghiệm; đề nghị bổ sung dự toán kinh phí khi nhân rộng."
)


def tracking_code(contest: Contest, number: int) -> str:
    return f"CC{contest.year % 100:02d}-DEMO-{number:04d}"


def lookup_example(contest: Contest) -> tuple[str, str] | None:
    """(tracking code, last four digits of the representative's phone) of a demo entry:
    what the /tra-cuu/ page asks for."""
    from accounts.phone import phone_last_digits
    from submissions.models import Entry

    entry = (
        Entry.objects.filter(contest=contest, tracking_code=tracking_code(contest, LOOKUP_EXAMPLE))
        .prefetch_related("authors")
        .first()
    )
    if entry is None:
        return None
    representative = next((a for a in entry.authors.all() if a.is_representative), None)
    return entry.tracking_code, phone_last_digits(representative.phone if representative else "")


# --- building -----------------------------------------------------------------------------


_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
}


def _document(spec: DemoEntry) -> bytes:
    """The entry as a minimal Word document: the authors, then the idea, one paragraph each
    (written directly: python-docx's blank template takes longer than the whole entry)."""
    import zipfile
    from xml.sax.saxutils import escape

    lines = [spec.title]
    lines += [f"{a.full_name} – {a.job_title}, {a.workplace}" for a in spec.authors]
    sections = (
        ("Tóm tắt", spec.summary),
        ("Thực trạng, vấn đề đặt ra", spec.problem),
        ("Nội dung ý tưởng, giải pháp", spec.solution),
        ("Hiệu quả dự kiến", spec.expected_effect),
        ("Cách thức triển khai", spec.implementation),
        ("Khả năng nhân rộng", spec.replication),
    )
    lines += [f"{heading}: {text}" for heading, text in sections if text]
    body = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in {**_DOCX_PARTS, "word/document.xml": document}.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def _scan() -> bytes:
    """A one-page PDF standing in for the scanned paper entry."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _submission_instant(contest: Contest) -> dt.datetime:
    """Now when intake is open (a normal run); else a moment inside the intake window, for a
    demo loaded with a date other than today."""
    now = timezone.now()
    if contest.intake_opens_at <= now < contest.forwarding_deadline:
        return now
    return contest.forwarding_deadline - dt.timedelta(days=10)


def _author_data(spec: DemoEntry):
    from submissions.services import AuthorData

    return [
        AuthorData(
            full_name=a.full_name,
            job_title=a.job_title,
            workplace=a.workplace,
            address=a.address,
            phone=a.phone,
            email=a.email,
            is_representative=a.is_representative,
        )
        for a in spec.authors
    ]


def _fill_online(*, spec: DemoEntry, contest: Contest, owner, units, categories):
    """The entrant's wizard, step by step, through the intake services."""
    from submissions import services as intake
    from submissions.enums import EntryForm, EntryKind, FilePurpose

    entry = intake.entry_start(contest=contest, owner=owner)
    kind = EntryKind.GROUP if spec.is_group else EntryKind.INDIVIDUAL
    intake.entry_save_authors(entry=entry, by=owner, kind=kind, authors=_author_data(spec))
    intake.entry_save_category(entry=entry, by=owner, category_id=categories[spec.category].pk)
    intake.entry_save_idea(
        entry=entry,
        by=owner,
        title=spec.title,
        summary=spec.summary,
        problem=spec.problem,
        solution=spec.solution,
        expected_effect=spec.expected_effect,
        implementation=spec.implementation,
        replication=spec.replication,
    )
    if spec.number == 0:  # the draft stops after the idea step
        return entry
    intake.entry_save_form(
        entry=entry,
        by=owner,
        form=EntryForm.WRITTEN,
        competed_before=bool(spec.competed_before),
        previous_contest_name=spec.competed_before,
        revision_explanation=spec.revision,
    )
    upload = SimpleUploadedFile(
        f"bai-du-thi-{spec.number:02d}.docx",
        _document(spec),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    intake.entry_file_add(entry=entry, by=owner, upload=upload, purpose=FilePurpose.MAIN)
    intake.entry_set_unit(entry=entry, by=owner, unit_id=units[spec.unit].pk)
    intake.entry_save_declaration(
        entry=entry, by=owner, declaration_accepted=True, consent_accepted=True
    )
    return entry


def _fill_paper(*, spec: DemoEntry, staff, units, categories):
    """Unit staff type in an entry received on paper or through iOffice."""
    from submissions import services as intake
    from submissions.enums import EntryForm, EntryKind, FilePurpose

    entry = intake.entry_start_paper(unit=units[spec.unit], by=staff)
    intake.entry_save_paper(
        entry=entry,
        by=staff,
        kind=EntryKind.GROUP if spec.is_group else EntryKind.INDIVIDUAL,
        authors=_author_data(spec),
        category_id=categories[spec.category].pk,
        title=spec.title,
        summary=spec.summary,
        form=EntryForm.WRITTEN,
        competed_before=False,
        previous_contest_name="",
        revision_explanation="",
        received_via=spec.extra.get("via", intake.RECEIVED_PAPER),
        paper_reference=spec.extra.get("paper_reference", ""),
        declaration_accepted=True,
    )
    upload = SimpleUploadedFile(
        f"ban-quet-{spec.number:02d}.pdf", _scan(), content_type="application/pdf"
    )
    intake.entry_file_add(entry=entry, by=staff, upload=upload, purpose=FilePurpose.SCAN)
    return entry


def _submit(*, entry, by, code: str, at: dt.datetime):
    """entry_submit with a fixed tracking code, so the demo entry can be found again: the
    same rules (entry_problems) and the same transition, receipt and all."""
    from submissions import services as intake
    from submissions.enums import EntryStatus
    from submissions.models import Entry
    from submissions.workflow import entry_transition

    locked = Entry.objects.select_related("contest", "unit__contest", "category").get(pk=entry.pk)
    problems = intake.entry_problems(entry=locked, at=at)
    if problems:
        raise intake.EntryNotReady(problems)
    return entry_transition(
        entry=locked,
        to=EntryStatus.SUBMITTED,
        by=by,
        fields={"tracking_code": code, "submitted_at": at, "holder": locked.unit},
        data={"unit": locked.unit_id},
        then=lambda e: intake.receipt_queue(e.pk),
    )


def _walk(*, entry, spec: DemoEntry, users, units) -> None:
    """Take a submitted entry through its screening steps (not forwarding)."""
    from submissions import screening
    from submissions.models import AppraisalOpinion

    unit = units[spec.unit]
    district = unit.parent.code if unit.parent_id else spec.unit
    for step in spec.steps:
        here = district if step.startswith("d_") else spec.unit
        staff, head = users.get(STAFF.get(here)), users.get(HEADS.get(here))
        if step in (SCREEN, D_SCREEN):
            screening.entry_screening_start(entry=entry, by=staff)
        elif step in (APPRAISE, D_APPRAISE):
            screening.appraisal_record(
                entry=entry,
                by=staff,
                appraiser_name=staff.full_name,
                opinion=AppraisalOpinion.RECOMMEND_WITH_NOTES
                if step == APPRAISE
                else AppraisalOpinion.RECOMMEND,
                notes=APPRAISAL_NOTES,
            )
        elif step == REJECT:
            screening.entry_reject(entry=entry, by=staff, reason=spec.reject_reason)
        elif step in (SELECT, D_SELECT):
            screening.entry_select(entry=entry, by=staff)
        elif step in (CERTIFY, D_CERTIFY):
            screening.entry_certify(entry=entry, by=head, text=spec.certification or CERTIFY_TEXT)
        elif step == PASS_UP:
            screening.entry_pass_up(entry=entry, by=staff)
        # FORWARD and ACCEPT happen per batch, after every entry is certified.


def _forward_and_accept(*, contest: Contest, made: list, users, units, at: dt.datetime) -> None:
    """One dispatch per unit with the entries made in this run, then the secretariat's
    decision on each."""
    from submissions import screening
    from submissions.models import ForwardingChannel

    by_holder: dict[str, list] = {}
    for entry, spec in made:
        if FORWARD in spec.steps:
            holder = units[spec.unit].parent.code if PASS_UP in spec.steps else spec.unit
            by_holder.setdefault(holder, []).append(entry)
    dispatches = {
        CAO_LOC: ("245/UBND-NV", ForwardingChannel.IOFFICE),
        SO_NOI_VU: ("1302/SNV-CCHC", ForwardingChannel.IN_PERSON),
    }
    for code, entries in sorted(by_holder.items()):
        number, channel = dispatches[code]
        screening.forwarding_batch_create(
            unit=units[code],
            by=users[STAFF[code]],
            channel=channel,
            dispatch_number=number,
            dispatch_date=timezone.localdate(at),
            entry_ids=[e.pk for e in entries],
            at=at,
        )
    secretariat = users[SECRETARIAT]
    for entry, spec in made:
        if ACCEPT in spec.steps:
            screening.entry_accept(entry=entry, by=secretariat)


def _judging(*, contest: Contest, users) -> None:
    """Assign the accepted entries to the judges once; the first judge scores one entry and
    leaves another half-scored (only while scoring is open)."""
    from judging.models import Assignment, ScoreSheet
    from judging.services.assignment import assignment_auto
    from judging.services.scoring import rubric_for, sheet_save
    from submissions.enums import JUDGEABLE
    from submissions.models import Entry

    if Assignment.objects.filter(contest=contest).exists():
        return
    if not Entry.objects.filter(contest=contest, status__in=JUDGEABLE).exists():
        return
    assignment_auto(contest=contest, by=users[SECRETARIAT])
    if not deadline_is_open(deadline=contest.scoring_deadline):
        return
    judge = users[JUDGES[0]]
    if ScoreSheet.objects.filter(contest=contest, judge=judge).exists():
        return
    rubric = rubric_for(contest=contest, round=ScoringRound.WRITTEN)
    entries = list(
        Entry.objects.filter(
            contest=contest, assignments__judge=judge, assignments__round=ScoringRound.WRITTEN
        ).order_by("tracking_code")[:2]
    )
    for index, entry in enumerate(entries):
        complete = index == 0
        scores = {
            c.pk: (c.max_points * 8 // 10 if complete or c.position <= 2 else None) for c in rubric
        }
        sheet_save(
            entry=entry,
            judge=judge,
            by=judge,
            scores=scores,
            comment="Giải pháp thiết thực, dễ nhân rộng." if complete else "",
            expected_version=0,
            submit=complete,
        )


def demo_users_prepare(*, users) -> None:
    """The demo entrant's profile, and the further entrants who own entries."""
    User = get_user_model()
    entrant = users[ENTRANT]
    if not entrant.phone:
        for name, value in ENTRANT_PROFILE.items():
            setattr(entrant, name, value)
        entrant.save(update_fields=list(ENTRANT_PROFILE))
    for email, full_name in OTHER_ENTRANTS.items():
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users[email] = user


def demo_entries_seed(*, contest: Contest) -> int:
    """Create the missing demo entries and take each through its life. Returns how many
    were made (0 when they all exist)."""
    from submissions.models import Entry

    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.cchc.vn")}
    demo_users_prepare(users=users)
    units = {u.code: u for u in Unit.objects.filter(contest=contest).select_related("parent")}
    categories = {c.code: c for c in contest.categories.all()}
    existing = set(
        Entry.objects.filter(contest=contest, tracking_code__contains="-DEMO-").values_list(
            "tracking_code", flat=True
        )
    )
    at = _submission_instant(contest)
    made = []
    for spec in ENTRIES:
        code = tracking_code(contest, spec.number)
        if code in existing:
            continue
        if spec.owner:
            owner = users[spec.owner]
            entry = _fill_online(
                spec=spec, contest=contest, owner=owner, units=units, categories=categories
            )
            submitter = owner
        else:
            submitter = users[STAFF[spec.unit]]
            entry = _fill_paper(spec=spec, staff=submitter, units=units, categories=categories)
        entry = _submit(entry=entry, by=submitter, code=code, at=at)
        _walk(entry=entry, spec=spec, users=users, units=units)
        made.append((entry, spec))
    _forward_and_accept(contest=contest, made=made, users=users, units=units, at=at)
    owner = users[DRAFT.owner]
    if not Entry.objects.filter(contest=contest, owner=owner, title=DRAFT.title).exists():
        _fill_online(spec=DRAFT, contest=contest, owner=owner, units=units, categories=categories)
    _judging(contest=contest, users=users)
    return len(made)
