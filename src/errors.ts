// Errors are values: a code, the facts behind it, and a message in Vietnamese and English that
// the person who can fix it (a ward officer, an operator) can act on.

type Params = Record<string, string | number | null | undefined>;
type Message = (p: Params) => { vi: string; en: string };

const v = (p: Params, key: string) => String(p[key] ?? '');

export const MESSAGES = {
  // Problems in a submitted file (one line each in <name>.errors.csv).
  NOT_A_NUMBER: (p) => ({
    vi: `Giá trị "${v(p, 'value')}" không phải là số. Hãy nhập số, ví dụ 1.348,9; để trống hoặc "-" nếu không có số liệu.`,
    en: `"${v(p, 'value')}" is not a number. Enter a number such as 1,348.9; leave it empty or "-" when there is no figure.`,
  }),
  NUMBER_TOO_LONG: (p) => ({
    vi: `Giá trị "${v(p, 'value')}" có ${v(p, 'digits')} chữ số, quá ${v(p, 'max')} chữ số mà một số liệu thống kê có thể có. Hãy kiểm tra lại ô này (có thể bị dán nhầm).`,
    en: `"${v(p, 'value')}" has ${v(p, 'digits')} digits, more than the ${v(p, 'max')} any statistic needs. Check the cell (it may have been pasted by mistake).`,
  }),
  AMBIGUOUS_NUMBER: (p) => ({
    vi: `Không xác định được "${v(p, 'value')}" là ${v(p, 'vi')} hay ${v(p, 'en')}: tệp không có số nào khác cho biết cách ghi dấu thập phân. Hãy ghi rõ phần thập phân (ví dụ 1.348,0) hoặc bỏ dấu phân cách hàng nghìn.`,
    en: `Cannot tell whether "${v(p, 'value')}" means ${v(p, 'vi')} or ${v(p, 'en')}: no other number in the file shows the decimal convention. Write the decimals explicitly or drop the thousands separator.`,
  }),
  NUMBER_CONVENTION_CONFLICT: (p) => ({
    vi: `Giá trị "${v(p, 'value')}" ghi theo kiểu ${v(p, 'found')} trong khi các số khác của tệp ghi theo kiểu ${v(p, 'convention')}. Hãy dùng một cách ghi số cho cả tệp.`,
    en: `"${v(p, 'value')}" is written the ${v(p, 'found')} way while the rest of the file uses the ${v(p, 'convention')} way. Use one number format in the whole file.`,
  }),
  OUT_OF_RANGE: (p) => ({
    vi: `Giá trị ${v(p, 'value')} của chỉ tiêu ${v(p, 'indicator')} nằm ngoài khoảng hợp lệ [${v(p, 'min')}; ${v(p, 'max')}].`,
    en: `Value ${v(p, 'value')} of ${v(p, 'indicator')} is outside the valid range [${v(p, 'min')}, ${v(p, 'max')}].`,
  }),
  UNKNOWN_PERIOD: (p) => ({
    vi: `Không hiểu kỳ báo cáo "${v(p, 'value')}". Ghi ví dụ: 2022, 6 tháng đầu năm 2022, Quý II/2022, Tháng 6/2022 hoặc 2022S1.`,
    en: `Unknown period "${v(p, 'value')}". Write e.g. 2022, 2022S1 (first half), 2022Q2, 202206 or "6 tháng đầu năm 2022".`,
  }),
  MISSING_PERIOD: () => ({
    vi: 'Thiếu kỳ báo cáo: thêm cột "Kỳ báo cáo" hoặc ghi kỳ trong tên tệp (ví dụ bao-cao-2022S1.csv).',
    en: 'No period: add a "period" column or put the period in the file name (e.g. report-2022S1.csv).',
  }),
  UNKNOWN_INDICATOR: (p) => ({
    vi: `Không có chỉ tiêu "${v(p, 'value')}" trong danh mục. Dùng mã chỉ tiêu (ví dụ BUDGET_REVENUE) hoặc tên chỉ tiêu đúng như danh mục.`,
    en: `Indicator "${v(p, 'value')}" is not in the catalogue. Use its code (e.g. BUDGET_REVENUE) or its catalogue name.`,
  }),
  UNKNOWN_UNIT: (p) => ({
    vi: `Không tìm thấy đơn vị hành chính "${v(p, 'value')}" trong kỳ ${v(p, 'period')}. Dùng mã đơn vị (ví dụ 05440) hoặc tên đơn vị.`,
    en: `No administrative unit "${v(p, 'value')}" in period ${v(p, 'period')}. Use the unit code (e.g. 05440) or its name.`,
  }),
  AMBIGUOUS_UNIT: (p) => ({
    vi: `Tên "${v(p, 'value')}" khớp với nhiều đơn vị: ${v(p, 'candidates')}. Hãy dùng mã đơn vị.`,
    en: `"${v(p, 'value')}" matches several units: ${v(p, 'candidates')}. Use the unit code.`,
  }),
  UNIT_NOT_ALLOWED: (p) => ({
    vi: `Nguồn ${v(p, 'source')} không được báo cáo số liệu của đơn vị ${v(p, 'unit')}. Mỗi đơn vị gửi số liệu của mình vào thư mục của mình.`,
    en: `Source ${v(p, 'source')} may not report for unit ${v(p, 'unit')}. Each unit submits its own figures in its own folder.`,
  }),
  MISSING_UNIT: (p) => ({
    vi: `Thiếu đơn vị: nguồn ${v(p, 'source')} báo cáo cho nhiều đơn vị nên cần cột "Mã đơn vị".`,
    en: `No unit: source ${v(p, 'source')} reports for several units, so the file needs a "unit" column.`,
  }),
  SOURCE_UNIT_NOT_IN_PERIOD: (p) => ({
    vi: `Đơn vị ${v(p, 'source')} không tồn tại trong kỳ ${v(p, 'period')} (đã sáp nhập, giải thể hoặc chưa thành lập); số liệu kỳ này do đơn vị thay thế báo cáo. Hãy kiểm tra lại kỳ báo cáo.`,
    en: `Unit ${v(p, 'source')} does not exist in period ${v(p, 'period')} (merged, dissolved or not yet created); figures for that period are reported by the unit that replaced it. Check the period.`,
  }),
  UOM_MISMATCH: (p) => ({
    vi: `Đơn vị tính "${v(p, 'value')}" không đổi được sang ${v(p, 'expected')} của chỉ tiêu ${v(p, 'indicator')}.`,
    en: `Unit of measure "${v(p, 'value')}" cannot be converted to ${v(p, 'expected')}, the unit of ${v(p, 'indicator')}.`,
  }),
  UNKNOWN_SERIES: (p) => ({
    vi: `Không hiểu loại số liệu "${v(p, 'value')}". Dùng: Thực hiện, KH tỉnh giao, KH thành phố.`,
    en: `Unknown series "${v(p, 'value')}". Use actual, plan_province or plan_city.`,
  }),
  UNKNOWN_STATUS: (p) => ({
    vi: `Không hiểu tình trạng "${v(p, 'value')}". Dùng: chính thức, sơ bộ, ước.`,
    en: `Unknown status "${v(p, 'value')}". Use official, preliminary or estimate.`,
  }),
  DUPLICATE_VALUE: (p) => ({
    vi: `Chỉ tiêu ${v(p, 'indicator')} của đơn vị ${v(p, 'unit')} kỳ ${v(p, 'period')} đã có ở dòng ${v(p, 'first_row')}. Mỗi số liệu chỉ ghi một lần.`,
    en: `${v(p, 'indicator')} for unit ${v(p, 'unit')}, period ${v(p, 'period')} already appears on line ${v(p, 'first_row')}. Give each figure once.`,
  }),
  MISSING_COLUMN: (p) => ({
    vi: `Thiếu cột bắt buộc "${v(p, 'column_vi')}". Dòng tiêu đề cần có: ${v(p, 'required_vi')}.`,
    en: `Required column "${v(p, 'column')}" is missing. The header needs: ${v(p, 'required')}.`,
  }),
  TOTAL_MISMATCH: (p) => ({
    vi: `Dòng tổng cột "${v(p, 'column')}" ghi ${v(p, 'value')} nhưng cộng các dòng được ${v(p, 'expected')}. Kiểm tra lại số liệu các đơn vị hoặc dòng tổng.`,
    en: `The total of column "${v(p, 'column')}" says ${v(p, 'value')} but the rows add up to ${v(p, 'expected')}. Check the units' figures or the total row.`,
  }),
  UNKNOWN_COLUMN: (p) => ({
    vi: `Không biết cột "${v(p, 'value')}" của biểu "${v(p, 'form')}". Đổi tên cột theo biểu mẫu hoặc xoá cột.`,
    en: `Column "${v(p, 'value')}" is not part of the form "${v(p, 'form')}". Rename it as in the form or remove it.`,
  }),
  EMPTY_FILE: () => ({
    vi: 'Tệp không có dòng số liệu nào.',
    en: 'The file has no data rows.',
  }),
  UNREADABLE_FILE: (p) => ({
    vi: `Không đọc được tệp dạng bảng CSV: ${v(p, 'detail')}. Hãy lưu lại từ Excel dưới dạng CSV (UTF-8) hoặc Unicode Text.`,
    en: `The file is not readable as a CSV table: ${v(p, 'detail')}. Save it from Excel as CSV UTF-8 or Unicode Text.`,
  }),
  UNKNOWN_SOURCE: (p) => ({
    vi: `Thư mục "${v(p, 'source')}" không phải là đơn vị hay phòng ban nào trong danh mục.`,
    en: `Folder "${v(p, 'source')}" is not a unit or department in the catalogue.`,
  }),
  FILE_TOO_LARGE: (p) => ({
    vi: `Tệp ${v(p, 'size_mb')} MB vượt giới hạn ${v(p, 'limit_mb')} MB. Hãy chia thành nhiều tệp nhỏ hơn.`,
    en: `The file is ${v(p, 'size_mb')} MB, over the ${v(p, 'limit_mb')} MB limit. Split it into smaller files.`,
  }),
  TOO_MANY_ROWS: (p) => ({
    vi: `Tệp có hơn ${v(p, 'limit')} dòng, vượt giới hạn. Hãy chia thành nhiều tệp nhỏ hơn.`,
    en: `The file has more than ${v(p, 'limit')} rows, over the limit. Split it into smaller files.`,
  }),
  YEAR_ARCHIVED: (p) => ({
    vi: `Số liệu năm ${v(p, 'years')} đã được lưu trữ và tách khỏi kho dữ liệu nên không nạp thêm được. Nếu cần bổ sung, bộ phận thống kê gắn lại năm đó vào kho rồi gửi lại tệp.`,
    en: `The figures of ${v(p, 'years')} have been archived and taken out of the warehouse, so no more can be loaded for that year. If they are needed, the statistics office attaches the year again and the file is sent again.`,
  }),
  LINKED_FILE: (p) => ({
    vi: `Tệp "${v(p, 'value')}" là liên kết tới một tệp khác nên không được đọc. Hãy chép (copy) tệp vào thư mục thay vì tạo liên kết.`,
    en: `"${v(p, 'value')}" is a link to another file and is not read. Copy the file into the folder instead of linking it.`,
  }),
  UNSUPPORTED_FILE_TYPE: (p) => ({
    vi: `Chỉ nhận tệp .csv hoặc .txt, không nhận "${v(p, 'value')}".`,
    en: `Only .csv and .txt files are accepted, not "${v(p, 'value')}".`,
  }),

  FILE_MISSING: (p) => ({
    vi: `Tệp ${v(p, 'file')} đã biến mất khỏi thư mục xử lý trước khi được đọc. Hãy gửi lại tệp.`,
    en: `File ${v(p, 'file')} disappeared from the work folder before it was read. Submit it again.`,
  }),
  PROCESSING_FAILED: (p) => ({
    vi: `Hệ thống không xử lý được tệp sau ${v(p, 'attempts')} lần thử (${v(p, 'detail')}). Tệp không có lỗi do đơn vị gây ra; bộ phận thống kê sẽ kiểm tra và nạp lại.`,
    en: `Processing failed after ${v(p, 'attempts')} attempts (${v(p, 'detail')}). This is not a fault in the file; the statistics office will check and resubmit it.`,
  }),

  // Operational errors (commands, configuration).
  CONFIG_INVALID: (p) => ({
    vi: `Cấu hình không hợp lệ: ${v(p, 'detail')}`,
    en: `Invalid configuration: ${v(p, 'detail')}`,
  }),
  CATALOG_INVALID: (p) => ({
    vi: `Danh mục lỗi tại ${v(p, 'file')} dòng ${v(p, 'line')}, trường ${v(p, 'field')}: ${v(p, 'detail')}`,
    en: `Catalogue error in ${v(p, 'file')} line ${v(p, 'line')}, field ${v(p, 'field')}: ${v(p, 'detail')}`,
  }),
  CATALOG_UNIT_IN_USE: (p) => ({
    vi: `Không thể bỏ khỏi danh mục các đơn vị đã có số liệu mà không phiên bản nào khác cùng mã trong tệp danh mục có hiệu lực ở kỳ đó (mã (tên, ngày bắt đầu): số số liệu (kỳ; số tệp)): ${v(p, 'units')}. Hãy giữ các đơn vị này trong tệp danh mục (có thể sửa ngày hiệu lực của phiên bản), hoặc rút lại các tệp chứa số liệu đó (dstats withdraw) nếu chúng bị gửi nhầm.`,
    en: `Cannot remove from the catalogue units that hold values no other version of their code in the files is valid for (code (name, first day): values (periods; submissions)): ${v(p, 'units')}. Keep these units in the catalogue files (their validity dates may change), or withdraw the files that hold those values (dstats withdraw) if they were sent by mistake.`,
  }),
  CATALOG_INDICATOR_IN_USE: (p) => ({
    vi: `Không thể bỏ khỏi danh mục các chỉ tiêu đã có số liệu (mã (năm có số liệu)): ${v(p, 'indicators')}. Hãy giữ các chỉ tiêu này trong indicators.csv.`,
    en: `Cannot remove from the catalogue indicators that have values loaded (code (years with values)): ${v(p, 'indicators')}. Keep them in indicators.csv.`,
  }),
  CATALOG_EMPTY: () => ({
    vi: 'Cơ sở dữ liệu chưa có danh mục: chạy "dstats catalog sync" trước.',
    en: 'The database has no catalogue yet: run "dstats catalog sync" first.',
  }),
  EMBEDDED_DB_BUSY: (p) => ({
    vi: `Cơ sở dữ liệu nhúng đang được tiến trình ${v(p, 'pid')} sử dụng (${v(p, 'path')}). Chờ tiến trình đó kết thúc, hoặc đặt DATABASE_URL để dùng Postgres.`,
    en: `The embedded database is in use by process ${v(p, 'pid')} (${v(p, 'path')}). Wait for it to finish, or set DATABASE_URL to use Postgres.`,
  }),
  FILE_NOT_FOUND: (p) => ({
    vi: `Không tìm thấy tệp ${v(p, 'file')}: đường dẫn không tồn tại hoặc là một thư mục. Hãy kiểm tra lại đường dẫn tới tệp .csv hoặc .txt.`,
    en: `No file at ${v(p, 'file')}: the path does not exist or is a folder. Check the path to the .csv or .txt file.`,
  }),
  REPORT_PATH_INVALID: (p) => ({
    vi: `Không ghi được báo cáo lỗi vào ${v(p, 'report')}: ${v(p, 'vi')}. Hãy chọn một tệp .csv khác trong một thư mục đã có.`,
    en: `Cannot write the error report to ${v(p, 'report')}: ${v(p, 'en')}. Choose another .csv file in a folder that exists.`,
  }),
  EMBEDDED_DIR_UNUSABLE: (p) => ({
    vi: `Không tạo hoặc mở được thư mục cơ sở dữ liệu nhúng ${v(p, 'path')} (${v(p, 'detail')}). Kiểm tra --root là một thư mục mà người dùng này ghi được, hoặc đặt DATABASE_URL để dùng Postgres.`,
    en: `Cannot make or open the embedded database folder ${v(p, 'path')} (${v(p, 'detail')}). Check that --root is a folder this user can write to, or set DATABASE_URL to use Postgres.`,
  }),
  PORT_IN_USE: (p) => ({
    vi: `Cổng ${v(p, 'port')} trên ${v(p, 'host')} đang được chương trình khác dùng (${v(p, 'detail')}). Chọn cổng khác bằng --port hoặc DSTATS_PORT.`,
    en: `Port ${v(p, 'port')} on ${v(p, 'host')} cannot be used (${v(p, 'detail')}). Choose another with --port or DSTATS_PORT.`,
  }),
  ROOT_MISSING: (p) => ({
    vi: `${v(p, 'root')} không phải là thư mục gốc của dstats: không có thư mục con inbox/. Kiểm tra --root hoặc DSTATS_ROOT (thư mục gốc mới cần tạo sẵn thư mục inbox/).`,
    en: `${v(p, 'root')} is not a dstats drop root: it has no inbox/ folder. Check --root or DSTATS_ROOT (a new drop root needs its inbox/ folder made first).`,
  }),
  DATABASE_UNREACHABLE: (p) => ({
    vi: `Không kết nối được cơ sở dữ liệu ${v(p, 'target')} (${v(p, 'detail')}). Kiểm tra DATABASE_URL (máy, cổng, tên cơ sở dữ liệu, người dùng) và Postgres đang chạy.`,
    en: `Cannot reach the database ${v(p, 'target')} (${v(p, 'detail')}). Check DATABASE_URL (host, port, database name, user) and that Postgres is running.`,
  }),
  REDIS_UNREACHABLE: (p) => ({
    vi: `Không kết nối được Redis ${v(p, 'target')} (${v(p, 'detail')}). Kiểm tra REDIS_URL và Redis đang chạy.`,
    en: `Cannot reach Redis at ${v(p, 'target')} (${v(p, 'detail')}). Check REDIS_URL and that Redis is running.`,
  }),
  REDIS_CLUSTER_PREFIX: (p) => ({
    vi: `Với Redis Cluster (DSTATS_REDIS_CLUSTER), tiền tố hàng đợi phải nằm trong ngoặc nhọn, ví dụ {${v(p, 'prefix')}} thay cho ${v(p, 'prefix')}: BullMQ cần mọi khóa của một hàng đợi ở cùng một slot.`,
    en: `With a Redis Cluster (DSTATS_REDIS_CLUSTER) the queue prefix must be in braces, e.g. {${v(p, 'prefix')}} instead of ${v(p, 'prefix')}: BullMQ needs every key of a queue in one slot.`,
  }),
  REDIS_IS_CLUSTER: (p) => ({
    vi: `Redis ${v(p, 'target')} là một nút của Redis Cluster: đặt DSTATS_REDIS_CLUSTER=true (tiền tố hàng đợi trong ngoặc nhọn, mặc định {dstats}).`,
    en: `Redis at ${v(p, 'target')} is a node of a Redis Cluster: set DSTATS_REDIS_CLUSTER=true (with the queue prefix in braces, {dstats} by default).`,
  }),
  REDIS_NOT_CLUSTER: (p) => ({
    vi: `Redis ${v(p, 'target')} không phải là nút của Redis Cluster (${v(p, 'detail')}): bỏ DSTATS_REDIS_CLUSTER, hoặc cho REDIS_URL trỏ tới một nút của cluster.`,
    en: `Redis at ${v(p, 'target')} is not a node of a Redis Cluster (${v(p, 'detail')}): unset DSTATS_REDIS_CLUSTER, or point REDIS_URL at a node of the cluster.`,
  }),
  VALUES_WITHOUT_UNIT: (p) => ({
    vi: `Số liệu của ${v(p, 'units')} đơn vị dưới đây không còn đơn vị nào trong danh mục ở kỳ của chúng: được giữ nguyên như đã nạp nhưng không được tổng hợp lên cấp trên. Nếu đơn vị đã sáp nhập, hãy rút lại các tệp chứa chúng (dstats withdraw <số tệp>) và gửi lại số liệu các kỳ đó cho đơn vị có hiệu lực khi đó.`,
    en: `Values of the ${v(p, 'units')} unit(s) below have no unit in the catalogue for their period: they are kept as loaded and left out of every rollup. If a unit was merged, withdraw the files that hold them (dstats withdraw <submission>) and resend those periods' figures for the units valid then.`,
  }),
  VALUES_OUTSIDE_SCOPE: (p) => ({
    vi: `Số liệu dưới đây (${v(p, 'units')} cặp nguồn và đơn vị) được nạp từ nguồn nay không còn được báo cáo cho đơn vị đó, vì danh mục vừa đổi cấp trên của đơn vị, phiên bản của đơn vị hoặc phạm vi của nguồn: vẫn được giữ và tổng hợp như đã nạp. Nếu số liệu không còn đúng, hãy rút lại các tệp chứa chúng (dstats withdraw) và để nguồn được phép gửi lại.`,
    en: `The values below (${v(p, 'units')} source and unit pair(s)) came from sources that may no longer report for their unit, since the catalogue changed the unit's parent, its version or the source's scope: they are kept and rolled up as loaded. If they no longer hold, withdraw the files that hold them (dstats withdraw) and have the source allowed now send them.`,
  }),
  WITHDRAW_NO_REASON: () => ({
    vi: 'Cần ghi lý do rút tệp sau --reason (ví dụ --reason "Gửi nhầm số liệu của phường khác"): lý do được lưu cùng tệp.',
    en: 'Give the reason after --reason (e.g. --reason "another ward\'s figures sent by mistake"): it is kept with the file.',
  }),
  REPORT_UNKNOWN_PERIOD: (p) => ({
    vi: `Không hiểu kỳ "${v(p, 'period')}". Ghi ví dụ: 2022, 2022S1, "6 tháng đầu năm 2022", Q2/2022, 202206.`,
    en: `Unknown period "${v(p, 'period')}". Write e.g. 2022, 2022S1 (first half), 2022Q2, 202206 or "6 tháng đầu năm 2022".`,
  }),
  REPORT_UNIT_NOT_IN_PERIOD: (p) => ({
    vi: `Không có đơn vị ${v(p, 'unit')} trong kỳ ${v(p, 'period')}. ${p.known ? `Mã ${v(p, 'unit')} là: ${v(p, 'known')}.` : p.suggestion ? `Có phải mã ${v(p, 'suggestion')} (mã GSO giữ số 0 ở đầu)?` : 'Danh mục không có mã này.'}`,
    en: `No unit ${v(p, 'unit')} in period ${v(p, 'period')}. ${p.known ? `Code ${v(p, 'unit')} is: ${v(p, 'known')}.` : p.suggestion ? `Did you mean ${v(p, 'suggestion')} (GSO codes keep their leading zeros)?` : 'The catalogue has no such code.'}`,
  }),
  WITHDRAW_NOT_FOUND: (p) => ({
    vi: `Không có tệp số ${v(p, 'id')}. Số của tệp có trong phiếu nhận (.receipt.json, submission_id), ở mart.submissions và ở "dstats status".`,
    en: `There is no submission ${v(p, 'id')}. A file's number is in its receipt (.receipt.json, submission_id), in mart.submissions and in "dstats status".`,
  }),
  WITHDRAW_NOT_LOADED: (p) => ({
    vi: `Tệp số ${v(p, 'id')} (${v(p, 'file')}) đang ở trạng thái ${v(p, 'state')}: chỉ rút lại được tệp đã nạp. Tệp đang xử lý thì chờ xử lý xong; tệp bị trả lại hoặc trùng lặp thì không có số liệu nào đã nạp.`,
    en: `Submission ${v(p, 'id')} (${v(p, 'file')}) is ${v(p, 'state')}: only a loaded file can be withdrawn. Wait for a file in progress to finish; a rejected or duplicate file loaded nothing.`,
  }),
  WITHDRAW_NOT_ARCHIVED: (p) => ({
    vi: `Tệp số ${v(p, 'id')} (${v(p, 'file')}) đã nạp nhưng chưa được chuyển vào archive/ cùng phiếu nhận. Chạy "dstats run" để hoàn tất rồi rút lại.`,
    en: `Submission ${v(p, 'id')} (${v(p, 'file')}) is loaded but not yet in archive/ with its receipt. Run "dstats run" to finish it, then withdraw it.`,
  }),
  WITHDRAW_YEAR_ARCHIVED: (p) => ({
    vi: `Tệp số ${v(p, 'id')} có số liệu năm ${v(p, 'years')}, đã được đưa ra khỏi cơ sở dữ liệu. Đưa các năm đó trở lại (docs/operations.md) rồi rút lại tệp.`,
    en: `Submission ${v(p, 'id')} has values in ${v(p, 'years')}, taken out of the live database. Bring those years back (docs/operations.md), then withdraw it.`,
  }),
  QUEUE_NEEDS_POSTGRES: () => ({
    vi: 'Chạy qua hàng đợi (REDIS_URL) cần Postgres dùng chung: đặt cả DATABASE_URL.',
    en: 'Running through queues (REDIS_URL) needs a shared Postgres: set DATABASE_URL too.',
  }),
} satisfies Record<string, Message>;

export type ErrorCode = keyof typeof MESSAGES;

export function describe(code: ErrorCode, params: Params = {}): { vi: string; en: string } {
  return MESSAGES[code](params);
}

/** An operational error with a code; the CLI prints both languages (exit 2, or 3 for a server it cannot reach). */
export class DstatsError extends Error {
  readonly vi: string;
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
  ) {
    const text = describe(code, params);
    super(text.en);
    this.vi = text.vi;
    this.name = 'DstatsError';
  }

  lines(label: string): [string, string] {
    return codedLines(label, this.code, this.params);
  }
}

/** Two lines after a label ("dstats: ", "warning: "): the code and Vietnamese, then English aligned under it. */
export function codedLines(label: string, code: ErrorCode, params: Params = {}): [string, string] {
  const text = describe(code, params);
  return [`${label}[${code}] ${text.vi}`, `${' '.repeat(label.length)}${text.en}`];
}

/** What a failed connection says: Node reports a refused dual-stack connect as an AggregateError with no message. */
export function connectionFailure(error: unknown): string {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const { message, code } = (inner ?? {}) as { message?: string; code?: string };
  return message || code || String(inner);
}
