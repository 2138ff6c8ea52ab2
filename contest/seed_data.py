"""The 2025 contest exactly as the plan states it (seed/ke-hoach-cuoc-thi-cchc-2025.txt),
and Lạng Sơn's receiving units of the first half of 2025 (data/langson-units-2025.md)."""

from decimal import Decimal

NAME = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"
SHORT_NAME = "Cuộc thi ý tưởng, giải pháp CCHC năm 2025"

PURPOSE = (
    "Tìm ra những ý tưởng, giải pháp tiêu biểu, sáng tạo và có khả năng áp dụng trong thực tế "
    "để thí điểm và nhân rộng trên địa bàn tỉnh; nâng cao nhận thức về cải cách hành chính; "
    "góp phần cải thiện các chỉ số PAR INDEX, PCI, PAPI, SIPAS của tỉnh."
)
ELIGIBILITY = (
    "Cá nhân: cán bộ, công chức, viên chức, người lao động, chiến sĩ lực lượng vũ trang và "
    "người dân đang cư trú, học tập, lao động trên địa bàn tỉnh Lạng Sơn.\n"
    "Tập thể: các nhóm tác giả từ 02 người trở lên thuộc các đối tượng trên."
)
EXCLUSIONS = (
    "Thành viên Ban Tổ chức, Ban Giám khảo, Tổ giúp việc cuộc thi (kể cả tham gia trong nhóm tác "
    "giả)."
)
ENTRY_FORM = (
    "Bài viết (cỡ chữ 14, phông Times New Roman, đánh số trang; trang bìa ghi rõ họ, tên, chức "
    "vụ, đơn vị công tác/địa chỉ) hoặc video, kèm theo sản phẩm, phần mềm, hình ảnh (nếu có). "
    "Bài dự thi dạng video, hình ảnh, phần mềm phải kèm bản viết nội dung, ý tưởng.\n"
    "Bài đã dự thi cuộc thi khác nhưng không đạt giải phải được chỉnh sửa, bổ sung và kèm văn "
    "bản giải trình ghi rõ tên cuộc thi đã tham dự và nội dung đã chỉnh sửa.\n"
    "Bài dự thi không được trùng lặp với mô hình, ý tưởng, giải pháp đã áp dụng trong tỉnh hoặc "
    "đã được công khai áp dụng ở địa phương khác."
)
HOW_TO_SUBMIT = (
    "Mỗi bài dự thi chỉ gửi cho một đầu mối tiếp nhận: cơ quan, đơn vị nơi mình công tác; UBND "
    "cấp huyện hoặc UBND cấp xã nơi cư trú; hoặc tổ chức chính trị - xã hội, tổ chức xã hội mà "
    "mình là đoàn viên, hội viên. Bài dự thi ghi rõ họ tên, địa chỉ, số điện thoại; bài của nhóm "
    "tác giả ghi rõ các thành viên và địa chỉ, số điện thoại của một thành viên đại diện.\n"
    "Đơn vị tiếp nhận sơ loại, thẩm định, Thủ trưởng xác nhận mức độ hiệu quả, tính khả thi và gửi "
    "các bài tốt nhất về Sở Nội vụ (qua iOffice, bưu chính hoặc trực tiếp)."
)
USAGE_RIGHTS = (
    "UBND tỉnh có quyền sử dụng các bài tham dự cuộc thi mà không phải xin phép tác giả để triển "
    "khai ứng dụng vào thực tiễn của địa phương."
)

CATEGORIES = [
    (
        "a",
        "Công tác chỉ đạo điều hành",
        "Ý tưởng, giải pháp mới nhằm nâng cao hiệu quả hoạt động chỉ đạo, điều hành thực hiện các "
        "nhiệm vụ của công tác CCHC; cải thiện, nâng cao sự hài lòng của người dân, tổ chức đối "
        "với "
        "sự phục vụ của cơ quan hành chính; nâng cao vai trò, trách nhiệm của đội ngũ cán bộ, công "
        "chức, viên chức, nhất là vai trò của Thủ trưởng cơ quan, đơn vị trong thực hiện nhiệm vụ "
        "CCHC.",
    ),
    (
        "b",
        "Cải cách thể chế",
        "Ý tưởng, giải pháp mới nhằm nâng cao hiệu quả công tác ban hành văn bản quy phạm pháp "
        "luật; "
        "tăng tính khả thi, hiệu quả trong triển khai văn bản luật trên địa bàn tỉnh; chỉ ra những "
        "bất cập trong văn bản quy phạm pháp luật của địa phương và đề xuất sửa đổi, bổ sung, loại "
        "bỏ "
        "các quy định không cần thiết nhằm thúc đẩy thu hút đầu tư, phát triển kinh tế - xã hội.",
    ),
    (
        "c",
        "Cải cách thủ tục hành chính",
        "Ý tưởng, giải pháp mới nhằm rà soát, đơn giản hóa TTHC; tiết kiệm thời gian, chi phí, "
        "công "
        "sức của cá nhân, tổ chức khi giải quyết TTHC; cải tiến quy trình, cắt giảm TTHC chồng "
        "chéo; "
        "nâng cao chất lượng Trung tâm Phục vụ hành chính công, Bộ phận một cửa cấp huyện, cấp xã; "
        "tăng số hồ sơ thực hiện dịch vụ công trực tuyến toàn trình.",
    ),
    (
        "d",
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "Ý tưởng, giải pháp mới nhằm sắp xếp, sáp nhập bộ máy khoa học, tinh gọn, giảm đầu mối, "
        "quản "
        "lý đa ngành, đa lĩnh vực, không chồng chéo; nâng cao hiệu quả quản lý của cơ quan hành "
        "chính "
        "các cấp; xác định vị trí việc làm phù hợp, khoa học.",
    ),
    (
        "đ",
        "Cải cách chế độ công vụ",
        "Ý tưởng, giải pháp nâng cao chất lượng, trình độ chuyên môn và tinh thần phục vụ của đội "
        "ngũ "
        "cán bộ, công chức, viên chức; chất lượng tuyển dụng; đào tạo, bồi dưỡng hiệu quả; đánh "
        "giá, "
        "phân loại thực chất; tinh giản biên chế hiệu quả; nền công vụ chuyên nghiệp, trách nhiệm, "
        "năng động và thực tài.",
    ),
    (
        "e",
        "Cải cách tài chính công",
        "Ý tưởng, giải pháp giải ngân vốn đầu tư ngân sách nhà nước, tiết kiệm kinh phí quản lý "
        "hành "
        "chính, tăng mức độ tự chủ của đơn vị sự nghiệp công lập; phân phối, sử dụng nguồn lực tài "
        "chính hiệu quả; quản lý, giám sát tài chính; hoàn thiện chính sách thuế, thu nhập, tiền "
        "lương, tiền công.",
    ),
    (
        "g",
        "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
        "Ý tưởng, giải pháp nâng cao ứng dụng công nghệ thông tin trong cơ quan hành chính nhà "
        "nước; "
        "liên kết bộ máy hành chính; phần mềm, dịch vụ công dễ sử dụng; tăng tỷ lệ dịch vụ công "
        "trực "
        "tuyến và thanh toán trực tuyến; đổi mới Cổng thông tin điện tử của tỉnh và trang thông "
        "tin "
        "điện tử của các cơ quan, đơn vị.",
    ),
    (
        "h",
        "Cải thiện, nâng cao năng lực cạnh tranh của tỉnh",
        "Ý tưởng, giải pháp hỗ trợ, tháo gỡ khó khăn, vướng mắc cho người dân và doanh nghiệp "
        "trong "
        "sản xuất kinh doanh; phát triển doanh nghiệp; cải thiện môi trường đầu tư kinh doanh; "
        "tăng "
        "nguồn thu từ doanh nghiệp và thu hút đầu tư trên địa bàn tỉnh.",
    ),
]

# (unit type, minimum, mandatory): the plan's section III.4.
QUOTAS = [
    ("department", 1, True),
    ("district", 3, True),
    ("commune", 0, False),
    ("organisation", 1, False),
    ("central", 1, False),
]

# (rank, name, individual count, group count, individual amount, Bằng khen)
PRIZES = [
    (1, "Giải nhất", 1, 1, 5_000_000, True),
    (2, "Giải nhì", 1, 1, 2_500_000, True),
    (3, "Giải ba", 2, 2, 1_500_000, True),
    (4, "Giải khuyến khích", 3, 3, 1_000_000, False),
]
GROUP_MULTIPLIER = Decimal("1.5")

# The default rubric, from the plan's own words: III.2.a asks for "tính mới, thiết thực,
# sáng tạo ... hiệu quả ... tính khả thi"; I.2.c for "tính sáng tạo, thực tiễn cao, có thể
# áp dụng ngay". Novelty weighs most because the plan refuses ideas already applied.
RUBRIC = [
    (
        "written",
        1,
        "Tính mới, sáng tạo",
        30,
        "Ý tưởng mới, chưa được áp dụng trong tỉnh hoặc công khai ở địa phương khác; cách làm sáng "
        "tạo.",
    ),
    (
        "written",
        2,
        "Tính thiết thực, thực tiễn",
        20,
        "Giải quyết đúng vấn đề có thật trong công tác CCHC của cơ quan, địa phương.",
    ),
    (
        "written",
        3,
        "Tính khả thi",
        20,
        "Có thể triển khai với nguồn lực, thể chế hiện có; đã được Thủ trưởng xác nhận tính khả "
        "thi.",
    ),
    (
        "written",
        4,
        "Hiệu quả mang lại",
        20,
        "Lợi ích đo được cho người dân, doanh nghiệp, cơ quan; đóng góp cải thiện PAR INDEX, PCI, "
        "PAPI, SIPAS.",
    ),
    (
        "written",
        5,
        "Khả năng áp dụng ngay và nhân rộng",
        10,
        "Có thể áp dụng ngay và nhân rộng ra các cơ quan, địa phương khác trong tỉnh.",
    ),
    ("presentation", 1, "Nội dung trình bày", 40, "Trình bày rõ ý tưởng, giải pháp và lợi ích."),
    ("presentation", 2, "Trả lời câu hỏi của Ban Giám khảo", 40, "Trả lời đúng, đủ, thuyết phục."),
    ("presentation", 3, "Kỹ năng trình bày, thời gian", 20, "Mạch lạc, đúng thời gian quy định."),
]

DEPARTMENTS = [
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Tư pháp",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
]

# district name → [(GSO code, commune name)]
DISTRICTS = {
    "UBND thành phố Lạng Sơn": [
        ("05971", "UBND phường Hoàng Văn Thụ"),
        ("05974", "UBND phường Tam Thanh"),
        ("05977", "UBND phường Vĩnh Trại"),
        ("05980", "UBND phường Đông Kinh"),
        ("05983", "UBND phường Chi Lăng"),
    ],
    "UBND huyện Tràng Định": [
        ("06040", "UBND thị trấn Thất Khê"),
        ("06004", "UBND xã Quốc Khánh"),
        ("06019", "UBND xã Tân Tiến"),
        ("06025", "UBND xã Đội Cấn"),
        ("06034", "UBND xã Chi Lăng"),
    ],
    "UBND huyện Bình Gia": [
        ("06112", "UBND thị trấn Bình Gia"),
        ("06073", "UBND xã Hoa Thám"),
        ("06079", "UBND xã Hồng Phong"),
        ("06097", "UBND xã Thiện Long"),
        ("06121", "UBND xã Tân Văn"),
    ],
    "UBND huyện Văn Lãng": [
        ("06124", "UBND thị trấn Na Sầm"),
        ("06136", "UBND xã Thụy Hùng"),
        ("06151", "UBND xã Hội Hoan"),
        ("06166", "UBND xã Tân Thanh"),
        ("06178", "UBND xã Hoàng Văn Thụ"),
    ],
    "UBND huyện Cao Lộc": [
        ("06187", "UBND thị trấn Cao Lộc"),
        ("06184", "UBND thị trấn Đồng Đăng"),
        ("06232", "UBND xã Công Sơn"),
        ("06235", "UBND xã Gia Cát"),
        ("06238", "UBND xã Mẫu Sơn"),
    ],
    "UBND huyện Văn Quan": [
        ("06253", "UBND thị trấn Văn Quan"),
        ("06280", "UBND xã Điềm He"),
        ("06286", "UBND xã Khánh Khê"),
        ("06313", "UBND xã Tri Lễ"),
        ("06319", "UBND xã Yên Phúc"),
    ],
    "UBND huyện Bắc Sơn": [
        ("06325", "UBND thị trấn Bắc Sơn"),
        ("06340", "UBND xã Tân Tri"),
        ("06343", "UBND xã Bắc Quỳnh"),
        ("06349", "UBND xã Hưng Vũ"),
        ("06367", "UBND xã Vũ Lăng"),
    ],
    "UBND huyện Hữu Lũng": [
        ("06385", "UBND thị trấn Hữu Lũng"),
        ("06388", "UBND xã Hữu Liên"),
        ("06391", "UBND xã Yên Bình"),
        ("06427", "UBND xã Cai Kinh"),
        ("06433", "UBND xã Vân Nham"),
    ],
    "UBND huyện Chi Lăng": [
        ("06463", "UBND thị trấn Đồng Mỏ"),
        ("06466", "UBND thị trấn Chi Lăng"),
        ("06493", "UBND xã Bằng Mạc"),
        ("06505", "UBND xã Vạn Linh"),
        ("06517", "UBND xã Quan Sơn"),
    ],
    "UBND huyện Lộc Bình": [
        ("06529", "UBND thị trấn Lộc Bình"),
        ("06526", "UBND thị trấn Na Dương"),
        ("06532", "UBND xã Mẫu Sơn"),
        ("06565", "UBND xã Khuất Xá"),
        ("06607", "UBND xã Xuân Dương"),
    ],
    "UBND huyện Đình Lập": [
        ("06613", "UBND thị trấn Đình Lập"),
        ("06616", "UBND thị trấn Nông Trường Thái Bình"),
        ("06625", "UBND xã Kiên Mộc"),
        ("06631", "UBND xã Thái Bình"),
        ("06637", "UBND xã Châu Sơn"),
    ],
}

ORGANISATIONS = [
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lạng Sơn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Tỉnh Đoàn Lạng Sơn",
    "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Hội Chữ thập đỏ tỉnh",
    "Hội Luật gia tỉnh",
]

CENTRAL_AGENCIES = [
    "Công an tỉnh Lạng Sơn",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Chi cục Hải quan khu vực VI",
    "Bảo hiểm xã hội khu vực V",
    "Chi cục Thuế khu vực VI",
    "Kho bạc Nhà nước khu vực VI",
]
