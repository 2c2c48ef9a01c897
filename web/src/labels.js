// Chinese names of the API's state keys.
export const BATCH_STATE = {
  PREPARED: { text: '待审批', type: 'warning' },
  APPROVED: { text: '已审批·银行处理中', type: 'primary' },
  SETTLED: { text: '已结清', type: 'success' },
  CANCELLED: { text: '已作废', type: 'info' },
};
export const LINE_STATUS = {
  prepared: { text: '待审批', type: 'warning', color: '#e6a23c' },
  pending: { text: '银行处理中', type: 'primary', color: '#409eff' },
  paid: { text: '已发放', type: 'success', color: '#67c23a' },
  failed: { text: '发放失败', type: 'danger', color: '#f56c6c' },
  cancelled: { text: '已作废', type: 'info', color: '#909399' },
  returned: { text: '已退回', type: 'info', color: '#b1b3b8' },
};
export const CHANNEL = { direct: '银行代发', school: '通过学校发放' };
export const TERM = { 1: '第一学期', 2: '第二学期' };
