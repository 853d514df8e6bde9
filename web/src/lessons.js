// The course's lessons, in order, bundled into learn.js (so learn.html works from file://).
// Each is a convplay-lesson/1 file (README, "Lessons"); learn-main.js validates them.
import l1 from '../lessons/01-conv2d-by-hand.json';
import l2 from '../lessons/02-padding-modes.json';
import l3 from '../lessons/03-unfold.json';
import l4 from '../lessons/04-kernel-matrix.json';
import l5 from '../lessons/05-scatter-add.json';
import l6 from '../lessons/06-zero-insertion.json';
import l7 from '../lessons/07-output-padding.json';
import l8 from '../lessons/08-upsampling.json';
import l9 from '../lessons/09-gradient.json';
import l10 from '../lessons/10-conv1d-causal.json';

export const LESSONS = [l1, l2, l3, l4, l5, l6, l7, l8, l9, l10];
