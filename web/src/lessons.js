import l1 from '../lessons/01-conv2d-by-hand.json';
export const LESSONS = [l1];
