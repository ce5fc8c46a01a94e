// The words of the status pages in Vietnamese (default) and English.
import type { Lang } from './html.js';

const TEXT = {
  title: { vi: 'dstats: tình hình tiếp nhận số liệu', en: 'dstats: data submission status' },
  period: { vi: 'Kỳ báo cáo', en: 'Period' },
  indicator: { vi: 'Chỉ tiêu', en: 'Indicator' },
  show: { vi: 'Xem', en: 'Show' },
  completeness: { vi: 'Mức độ đầy đủ của báo cáo', en: 'Reporting completeness' },
  source: { vi: 'Nơi gửi', en: 'Source' },
  noSlots: { vi: 'Không có báo cáo nào phải nộp cho kỳ này.', en: 'No reports are expected for this period.' },
  latest: { vi: '20 tệp nhận gần nhất', en: 'Latest 20 files received' },
  rejections: { vi: 'Tệp bị trả lại', en: 'Rejected files' },
  noRejections: { vi: 'Không có tệp nào bị trả lại trong số này.', en: 'None of these files was rejected.' },
  noSubmissions: { vi: 'Chưa nhận tệp nào.', en: 'No files received yet.' },
  state: { vi: 'Trạng thái', en: 'State' },
  file: { vi: 'Tệp', en: 'File' },
  receivedAt: { vi: 'Thời điểm nhận', en: 'Received at' },
  valuesLoaded: { vi: 'Số giá trị đã nạp', en: 'Values loaded' },
  problems: { vi: 'Số lỗi', en: 'Problems' },
  firstProblem: { vi: 'Lỗi đầu tiên (tiếng Anh)', en: 'First problem' },
  errorReport: { vi: 'Báo cáo lỗi', en: 'Error report' },
  noReport: { vi: 'Không có báo cáo lỗi cho tệp này.', en: 'There is no error report for this file.' },
  truncated: { vi: 'Chỉ hiển thị {n} dòng đầu; xem đầy đủ trong tệp .errors.csv.', en: 'Only the first {n} lines are shown; see the .errors.csv file for all.' },
  back: { vi: '← Trang tình hình', en: '← Status page' },
  chart: { vi: 'Theo phường, xã', en: 'By ward and commune' },
  noUnits: { vi: 'Không có đơn vị nào trong kỳ này.', en: 'No units in this period.' },
  noValue: { vi: 'chưa có số liệu', en: 'no figure' },
  reported: { vi: '{n}/{m} đơn vị có số liệu', en: '{n} of {m} units reported' },
  on_time: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Chậm', en: 'Late' },
  missing: { vi: 'Chưa nộp', en: 'Missing' },
  rejected: { vi: 'Bị trả lại', en: 'Rejected' },
  received: { vi: 'Đã nhận', en: 'Received' },
  staged: { vi: 'Đang xử lý', en: 'Being processed' },
  loaded: { vi: 'Đã nạp', en: 'Loaded' },
  duplicate: { vi: 'Trùng lặp', en: 'Duplicate' },
  withdrawn: { vi: 'Đã rút lại', en: 'Withdrawn' },
  longForm: { vi: 'Báo cáo dạng dài', en: 'Long-format report' },
  queuesOff: {
    vi: 'Không dùng hàng đợi: chưa đặt REDIS_URL, các bước xử lý chạy ngay trong tiến trình.',
    en: 'Queues are not used without REDIS_URL: the stages run in-process.',
  },
} satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof TEXT;

export function t(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** Words for a status or state code; an unknown code is shown as is. */
export function label(lang: Lang, code: string): string {
  return Object.hasOwn(TEXT, code) ? t(lang, code as TextKey) : code;
}

export function parseLang(value: unknown): Lang {
  return value === 'en' ? 'en' : 'vi';
}
